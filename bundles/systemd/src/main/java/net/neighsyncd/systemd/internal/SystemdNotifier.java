package net.neighsyncd.systemd.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import net.neighsyncd.api.engine.SyncEngine;
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

    /** Every pipeline's engine, in the order they came. */
    private final java.util.List<SyncEngine> engines = new java.util.concurrent.CopyOnWriteArrayList<>();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindEngine(SyncEngine e) {
        if (!engines.contains(e)) {
            engines.add(e);
        }
    }

    void unbindEngine(SyncEngine e) {
        engines.remove(e);
    }

    private UnixDatagramSender sender;
    private EnginesProbe probe;
    private NotifyProtocol protocol;
    private Ticker ticker;

    @Activate
    void activate() {
        start(System.getenv(), ProcessHandle.current().pid());
    }

    /** Starts notifying when {@code env} has {@code NOTIFY_SOCKET}; false (and nothing started) otherwise. */
    boolean start(Map<String, String> env, long pid) {
        return start(env, pid, System::nanoTime, new SchedulerTicker());
    }

    /**
     * {@link #start(Map, long)} with the watchdog's clock and what calls the ticks given: tests pass a
     * fake clock and tick on their own thread.
     */
    synchronized boolean start(Map<String, String> env, long pid, LongSupplier nanoClock, Ticker ticker) {
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
        probe = new EnginesProbe(() -> engines, STATUS_TIMEOUT_NANOS);
        protocol = new NotifyProtocol(bytesOf(sender), nanoClock, settings.watchdogIntervalNanos(), tick);
        this.ticker = ticker;
        NotifyProtocol p = protocol;
        EnginesProbe pr = probe;
        ticker.start(() -> {
            try {
                p.tick(pr.observe());
            } catch (RuntimeException e) {
                LOG.warn("systemd notification tick failed", e);
            }
        }, tick);
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
        return ticker != null;
    }

    /** Waits until the engine's {@code status()} call started by the last tick has returned. */
    synchronized void awaitLastEngineCall() throws InterruptedException {
        if (probe != null) {
            probe.awaitLastCall();
        }
    }

    @Deactivate
    synchronized void deactivate() {
        if (ticker == null) {
            return;
        }
        ticker.stop();
        protocol.stopping();
        probe.close();
        sender.close();
        ticker = null;
        protocol = null;
        probe = null;
        sender = null;
    }
}
