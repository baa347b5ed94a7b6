package net.neighsyncd.systemd.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import net.neighsyncd.api.SyncEngine;
import net.neighsyncd.unixdatagram.UnixDatagramSender;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * systemd's {@code sd_notify} protocol for {@code Type=notify} units: does nothing unless
 * {@code NOTIFY_SOCKET} is set. Then one small scheduler thread looks at the engine every 500 ms
 * (or every watchdog interval when shorter) and lets {@link NotifyProtocol} decide what to send;
 * deactivation (the framework stopping) sends {@code STOPPING=1}.
 */
@Component(immediate = true)
public final class SystemdNotifier {
    private static final Logger LOG = LoggerFactory.getLogger(SystemdNotifier.class);

    static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
    static final long STATUS_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(2);

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile SyncEngine engine;

    private UnixDatagramSender sender;
    private EngineProbe probe;
    private NotifyProtocol protocol;
    private ScheduledExecutorService scheduler;

    @Activate
    void activate() {
        start(System.getenv(), ProcessHandle.current().pid());
    }

    /** Starts notifying when {@code env} has {@code NOTIFY_SOCKET}; false (and nothing started) otherwise. */
    synchronized boolean start(Map<String, String> env, long pid) {
        Optional<NotifySettings> found = NotifySettings.fromEnvironment(env, pid);
        if (found.isEmpty()) {
            LOG.debug("NOTIFY_SOCKET not set: not notifying systemd");
            return false;
        }
        NotifySettings settings = found.get();
        try {
            sender = new UnixDatagramSender(settings.notifySocket());
        } catch (IOException | IllegalArgumentException e) {
            LOG.error("cannot notify systemd: {}", e.getMessage());
            return false;
        }
        long tick = NotifyProtocol.tickNanos(POLL_NANOS, settings.watchdogIntervalNanos());
        probe = new EngineProbe(() -> engine, STATUS_TIMEOUT_NANOS);
        protocol = new NotifyProtocol(bytesOf(sender), System::nanoTime, settings.watchdogIntervalNanos(), tick);
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "neighsyncd-systemd");
            t.setDaemon(true);
            return t;
        });
        NotifyProtocol p = protocol;
        EngineProbe pr = probe;
        scheduler.scheduleAtFixedRate(() -> {
            try {
                p.tick(pr.observe());
            } catch (RuntimeException e) {
                LOG.warn("systemd notification tick failed", e);
            }
        }, 0, tick, TimeUnit.NANOSECONDS);
        LOG.info("notifying systemd at {}{}", settings.notifySocket(), settings.watchdog()
                ? ", watchdog every " + TimeUnit.NANOSECONDS.toMillis(settings.watchdogIntervalNanos()) + " ms"
                : ", no watchdog");
        return true;
    }

    /** sd_notify messages are UTF-8 text, one datagram each; named by the socket in log lines. */
    private static NotifySender bytesOf(UnixDatagramSender sender) {
        return new NotifySender() {
            @Override
            public void send(String message) throws IOException {
                sender.send(message.getBytes(StandardCharsets.UTF_8));
            }

            @Override
            public String toString() {
                return sender.toString();
            }
        };
    }

    /** Whether {@link #start} found a socket and is notifying. */
    synchronized boolean running() {
        return scheduler != null;
    }

    @Deactivate
    synchronized void deactivate() {
        if (scheduler == null) {
            return;
        }
        scheduler.shutdownNow();
        try {
            if (!scheduler.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warn("systemd notifier thread did not end");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        protocol.stopping();
        probe.close();
        sender.close();
        scheduler = null;
        protocol = null;
        probe = null;
        sender = null;
    }
}
