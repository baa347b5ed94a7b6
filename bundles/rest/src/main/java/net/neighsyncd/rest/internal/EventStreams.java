package net.neighsyncd.rest.internal;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/** The open event streams, one thread each, at most the configured number; all ended when the bundle stops. */
@Component(service = EventStreams.class)
public final class EventStreams {
    private final AtomicInteger threads = new AtomicInteger();
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "neighsyncd-rest-events-" + threads.incrementAndGet());
        t.setDaemon(true);
        return t;
    });
    private final Set<EventStream> open = ConcurrentHashMap.newKeySet();

    @Reference
    RestApi api;

    /** Starts {@code stream}; false when as many streams as allowed are open already. */
    boolean start(EventStream stream) {
        int limit = RestApi.live(api).settings().maxEventClients();
        while (true) {
            int n = api.eventClients.get();
            if (n >= limit) {
                return false;
            }
            if (api.eventClients.compareAndSet(n, n + 1)) {
                break;
            }
        }
        open.add(stream);
        executor.execute(() -> {
            try {
                stream.run();
            } finally {
                open.remove(stream);
                api.eventClients.decrementAndGet();
            }
        });
        return true;
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        open.forEach(EventStream::stop);
        executor.shutdownNow();
        executor.awaitTermination(5, TimeUnit.SECONDS);
    }
}
