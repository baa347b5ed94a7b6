package net.neighsyncd.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import net.neighsyncd.testsupport.Netns;
import net.neighsyncd.testsupport.RedisServer;
import net.neighsyncd.testsupport.SelfSignedCertificate;
import org.junit.jupiter.api.Test;

/** {@code --tls-cert}/{@code --tls-key}: the daemon's one port serves HTTPS with that certificate, and no plain HTTP. */
class TlsTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void servesTheApiAndTheConsoleOverHttpsOnlyWithTheOperatorsCertificate() throws Exception {
        assumeTrue(RedisServer.available(), RedisServer::whyUnavailable);
        assumeTrue(Netns.usable(), Netns::whyUnusable);
        assumeTrue(SelfSignedCertificate.available(), SelfSignedCertificate::whyUnavailable);
        Path dir = Files.createTempDirectory("neighsyncd-tls");
        SelfSignedCertificate pem = SelfSignedCertificate.make(dir, "rsa:2048");
        try (RedisServer redis = RedisServer.start(); Netns ns = Netns.create("nsd-tls");
                Daemon daemon = Daemon.start("--redis-url", redis.unixUrl(0), "--netns", ns.name(),
                        "--tls-cert", pem.certificate().toString(), "--tls-key", pem.key().toString())) {
            daemon.awaitInitialSync(WAIT);
            HttpClient https = HttpClient.newBuilder().sslContext(trusting(pem.certificate()))
                    .connectTimeout(Duration.ofSeconds(2)).build();
            String host = "127.0.0.1:" + daemon.httpPort();
            // then HTTPS answers, with the operator's certificate (the client trusts only that one)
            Wait.until("HTTPS up", WAIT, () -> status(https, "https://" + host + "/api/v1/health") == 200);
            assertEquals(200, status(https, "https://" + host + "/health/ready"));
            assertEquals(401, status(https, "https://" + host + "/system/console/bundles"));
            assertTrue(daemon.banner().contains("Web Console at https://" + host), daemon.banner());
            // and plain HTTP is served nothing on that port
            HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            try {
                int s = status(plain, "http://" + host + "/api/v1/health");
                assertTrue(s >= 400, "plain HTTP answered " + s);
            } catch (IOException expected) {
                // the TLS connector closes a connection that does not start a handshake
            }
        }
    }

    private static int status(HttpClient client, String url) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static SSLContext trusting(Path certificate) throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(certificate)) {
            trust.setCertificateEntry("neighsyncd", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }
}
