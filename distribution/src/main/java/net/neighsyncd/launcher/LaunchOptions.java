package net.neighsyncd.launcher;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The launcher's command line. */
final class LaunchOptions {
    static final String USAGE = String.join("\n",
            "Usage: neighsyncd [options]",
            "",
            "Keeps SONiC's APPL_DB NEIGH_TABLE equal to the kernel's neighbor table.",
            "",
            "Where to write (at most one of the two; with neither, the SONiC default",
            "/var/run/redis/sonic-db/database_config.json is used when it exists, and",
            "otherwise the daemon starts its own redis-server under the run folder):",
            "  --database-config PATH  SONiC database_config.json naming APPL_DB, CONFIG_DB, STATE_DB",
            "  --redis-url URL         redis://host:port/db or unix:///path/redis.sock[?db=N]",
            "",
            "What to watch:",
            "  --netns NAME            network namespace to watch (/var/run/netns/NAME);",
            "                          default: the daemon's own",
            "",
            "Folders:",
            "  --config-dir PATH       configuration folder watched for *.cfg/*.config files",
            "                          (default: the installation's etc/)",
            "  --deploy-dir PATH       folder watched for extension bundles (*.jar) to install,",
            "                          update or uninstall at runtime (default: the installation's deploy/)",
            "  --run-dir PATH          framework cache, embedded Redis socket (default: the installation's run/)",
            "",
            "Web Console (http://HOST:PORT/system/console, user admin; see docs/webconsole.md):",
            "  --http-host HOST        address to listen on (default 127.0.0.1: this machine only;",
            "                          0.0.0.0 for every interface)",
            "  --http-port PORT        port to listen on (default 8181; 0: a free port, printed at start)",
            "  --tls-cert PATH, --tls-key PATH",
            "                          serve HTTPS instead of HTTP on that port (Web Console, /metrics,",
            "                          /api): the PEM certificate chain and its unencrypted PKCS#8 key",
            "  --webconsole-password-file PATH",
            "                          file holding the console password; when missing, a random one is",
            "                          generated into it, readable by its owner only (default:",
            "                          <run-dir>/webconsole.password). A password set in",
            "                          etc/org.apache.felix.webconsole.internal.servlet.OsgiManager.cfg wins.",
            "  --hash-password         read a password from standard input, print its hash for that",
            "                          file's password line, and exit",
            "  --new-api-token NAME:SCOPE",
            "                          print a new REST API token (scope read or admin) and the entry",
            "                          for tokens in etc/net.neighsyncd.access.cfg (only its hash), and exit",
            "",
            "  --training-run          start, wait until /health/ready answers, stop and exit: the run",
            "                          bin/neighsyncd --build-cds-archive records the class-data archive of",
            "                          (docs/benchmarks.md, Start)",
            "",
            "  -h, --help              this text");

    /** The Web Console listens here unless told otherwise: this machine only. */
    static final String DEFAULT_HTTP_HOST = "127.0.0.1";
    static final int DEFAULT_HTTP_PORT = 8181;

    Path databaseConfig;
    String redisUrl;
    String netns = "";
    Path configDir;
    Path runDir;
    Path deployDir;
    String httpHost = DEFAULT_HTTP_HOST;
    int httpPort = DEFAULT_HTTP_PORT;
    Path webconsolePasswordFile;
    /** {@code --tls-cert} and {@code --tls-key}: both or neither. */
    Path tlsCert;
    Path tlsKey;
    boolean hashPassword;
    /** {@code --new-api-token}'s NAME:SCOPE; null when not asked. */
    String newApiToken;
    boolean trainingRun;
    boolean help;

    static LaunchOptions parse(String[] args) {
        LaunchOptions o = new LaunchOptions();
        List<String> rest = new ArrayList<>(List.of(args));
        while (!rest.isEmpty()) {
            String a = rest.remove(0);
            String name = a;
            String value = null;
            int eq = a.indexOf('=');
            if (a.startsWith("--") && eq > 0) {
                name = a.substring(0, eq);
                value = a.substring(eq + 1);
            }
            switch (name) {
                case "-h":
                case "--help":
                    o.help = true;
                    break;
                case "--database-config":
                    o.databaseConfig = Path.of(value(name, value, rest));
                    break;
                case "--redis-url":
                    o.redisUrl = value(name, value, rest);
                    break;
                case "--netns":
                    o.netns = value(name, value, rest);
                    break;
                case "--config-dir":
                    o.configDir = Path.of(value(name, value, rest));
                    break;
                case "--run-dir":
                    o.runDir = Path.of(value(name, value, rest));
                    break;
                case "--deploy-dir":
                    o.deployDir = Path.of(value(name, value, rest));
                    break;
                case "--http-host":
                    o.httpHost = value(name, value, rest).strip();
                    if (o.httpHost.isEmpty()) {
                        throw new IllegalArgumentException("--http-host needs an address");
                    }
                    break;
                case "--http-port":
                    o.httpPort = port(value(name, value, rest));
                    break;
                case "--tls-cert":
                    o.tlsCert = Path.of(value(name, value, rest));
                    break;
                case "--tls-key":
                    o.tlsKey = Path.of(value(name, value, rest));
                    break;
                case "--webconsole-password-file":
                    o.webconsolePasswordFile = Path.of(value(name, value, rest));
                    break;
                case "--hash-password":
                    o.hashPassword = true;
                    break;
                case "--new-api-token":
                    o.newApiToken = value(name, value, rest);
                    break;
                case "--training-run":
                    o.trainingRun = true;
                    break;
                default:
                    throw new IllegalArgumentException("unknown option " + a + " (see --help)");
            }
        }
        if (o.databaseConfig != null && o.redisUrl != null) {
            throw new IllegalArgumentException("--database-config and --redis-url exclude each other");
        }
        if (o.redisUrl != null && !(o.redisUrl.startsWith("redis://") || o.redisUrl.startsWith("unix://"))) {
            throw new IllegalArgumentException("--redis-url must start with redis:// or unix://, got " + o.redisUrl);
        }
        if ((o.tlsCert == null) != (o.tlsKey == null)) {
            throw new IllegalArgumentException("--tls-cert and --tls-key go together");
        }
        if (o.netns.contains("/")) {
            throw new IllegalArgumentException("--netns takes a namespace name, not a path: " + o.netns);
        }
        return o;
    }

    private static int port(String text) {
        int p;
        try {
            p = Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--http-port takes a number from 0 to 65535, got " + text);
        }
        if (p < 0 || p > 65535) {
            throw new IllegalArgumentException("--http-port takes a number from 0 to 65535, got " + text);
        }
        return p;
    }

    private static String value(String name, String inline, List<String> rest) {
        if (inline != null) {
            return inline;
        }
        if (rest.isEmpty() || rest.get(0).startsWith("--")) {
            throw new IllegalArgumentException(name + " needs a value");
        }
        return rest.remove(0);
    }
}
