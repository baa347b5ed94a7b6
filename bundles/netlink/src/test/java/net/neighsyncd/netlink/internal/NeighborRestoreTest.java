package net.neighsyncd.netlink.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.ToIntFunction;
import net.neighsyncd.api.neighbor.IpAddress;
import net.neighsyncd.api.neighbor.NeighborKey;
import net.neighsyncd.libc.LibC;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The restore's rounds, retries and reports against a scripted kernel; no root needed. */
class NeighborRestoreTest {
    private final InMemoryWarmRestartStore store = new InMemoryWarmRestartStore();
    private final ScriptedKernel kernel = new ScriptedKernel();
    private NeighborRestore restore;

    @AfterEach
    void stop() {
        if (restore != null) {
            restore.stop();
        }
    }

    /** Links by name, and an answer per write chosen by a function of the write and its attempt number. */
    private static final class ScriptedKernel implements NeighborRestore.Kernel {
        final Map<String, Link> links = new HashMap<>();
        final List<Integer> batchSizes = new ArrayList<>();
        final Map<NeighborKey, Integer> attempts = new HashMap<>();
        volatile ToIntFunction<NeighborRestore.Write> answer = w -> 0;
        int opens;
        boolean closed;

        ScriptedKernel link(String name, int index, boolean up) {
            links.put(name, new Link(0, index, name, 0, null, up ? Link.IFF_UP : 0));
            return this;
        }

        @Override
        public Map<String, Link> links(long deadlineNanos) {
            return new HashMap<>(links);
        }

        @Override
        public int[] replace(List<NeighborRestore.Write> writes, long deadlineNanos) {
            batchSizes.add(writes.size());
            int[] out = new int[writes.size()];
            for (int i = 0; i < out.length; i++) {
                attempts.merge(writes.get(i).key(), 1, Integer::sum);
                out[i] = answer.applyAsInt(writes.get(i));
            }
            return out;
        }

        @Override
        public void awaitLinkChange(long millis) {
            try {
                Thread.sleep(Math.min(millis, 20));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    private NeighborRestore.Summary run(long timeoutMillis) throws Exception {
        restore = new NeighborRestore("", store, timeoutMillis, 10, (fd, stopping) -> {
            kernel.opens++;
            return kernel;
        });
        restore.start();
        return restore.result().get(30, TimeUnit.SECONDS);
    }

    private static NeighborKey key(String ifname, String ip) {
        return new NeighborKey(ifname, IpAddress.parse(ip));
    }

    @Test
    void retriesATransientEnetdownUntilTheKernelTakesTheNeighbor() throws Exception {
        // given a kernel that answers ENETDOWN to the first three writes of a neighbor of an up interface
        kernel.link("Ethernet0", 5, true);
        store.neighbor("Ethernet0", "10.0.0.2", "02:00:00:00:00:02");
        kernel.answer = w -> kernel.attempts.get(w.key()) <= 3 ? LibC.ENETDOWN : 0;

        // when the restore runs
        NeighborRestore.Summary summary = run(5000);

        // then the fourth write is acknowledged and nothing is skipped
        assertEquals(4, kernel.attempts.get(key("Ethernet0", "10.0.0.2")));
        assertEquals(1, summary.restored());
        assertEquals(Map.of(), summary.skipped());
        assertTrue(store.neighborsRestored());
        assertTrue(kernel.closed);
    }

    @Test
    void reportsAnEnetdownThatLastsUntilTheTimeoutAsThatErrno() throws Exception {
        // given a kernel that always answers ENETDOWN
        kernel.link("Ethernet0", 5, true);
        store.neighbor("Ethernet0", "10.0.0.2", "02:00:00:00:00:02");
        kernel.answer = w -> LibC.ENETDOWN;

        // when the restore runs with a 300 ms timeout
        NeighborRestore.Summary summary = run(300);

        // then it was tried more than once, then skipped with ENETDOWN, and the flag is set
        assertTrue(kernel.attempts.get(key("Ethernet0", "10.0.0.2")) > 1);
        assertEquals(Map.of(key("Ethernet0", "10.0.0.2"), "errno 100 (ENETDOWN)"), summary.skipped());
        assertTrue(store.neighborsRestored());
    }

    @Test
    void retriesANeighborWhoseAnswerDidNotCome() throws Exception {
        // given a kernel whose first answer for the neighbor goes missing
        kernel.link("Ethernet0", 5, true);
        store.neighbor("Ethernet0", "10.0.0.2", "02:00:00:00:00:02");
        kernel.answer = w -> kernel.attempts.get(w.key()) == 1 ? -1 : 0;

        // when the restore runs, then the second write is acknowledged
        NeighborRestore.Summary summary = run(5000);
        assertEquals(1, summary.restored());
        assertEquals(2, kernel.attempts.get(key("Ethernet0", "10.0.0.2")));
    }

    @Test
    void skipsNeighborsTheKernelRefusesOnceWithEachErrnoAndRestoresTheRest() throws Exception {
        // given a kernel refusing one neighbor with EINVAL, two with EAFNOSUPPORT and taking the fourth
        kernel.link("Ethernet0", 5, true);
        store.neighbor("Ethernet0", "10.0.0.1", "02:00:00:00:00:01")
                .neighbor("Ethernet0", "10.0.0.2", "02:00:00:00:00:02")
                .neighbor("Ethernet0", "10.0.0.3", "02:00:00:00:00:03")
                .neighbor("Ethernet0", "10.0.0.4", "02:00:00:00:00:04");
        Map<String, Integer> errnos = Map.of("10.0.0.1", LibC.EINVAL, "10.0.0.2", 97, "10.0.0.3", 97);
        kernel.answer = w -> errnos.getOrDefault(w.key().ip().toString(), 0);

        // when the restore runs
        NeighborRestore.Summary summary = run(5000);

        // then each refused neighbor was tried once and is skipped with its errno; the run did not wait
        assertEquals(1, summary.restored());
        assertEquals(Map.of(key("Ethernet0", "10.0.0.1"), "errno 22 (EINVAL)",
                key("Ethernet0", "10.0.0.2"), "errno 97 (EAFNOSUPPORT)",
                key("Ethernet0", "10.0.0.3"), "errno 97 (EAFNOSUPPORT)"), summary.skipped());
        assertEquals(List.of(4), kernel.batchSizes);
        assertTrue(summary.tookMillis() < 2000, "took " + summary.tookMillis() + " ms");
    }

    @Test
    void writesInBatchesOfAtMost64WithTheResolvedIndexAddressAndMac() throws Exception {
        // given 150 neighbors on Ethernet4 (ifindex 9)
        kernel.link("Ethernet4", 9, true);
        for (int i = 1; i <= 150; i++) {
            store.neighbor("Ethernet4", "10.4.0." + i, String.format("02:00:00:00:04:%02x", i));
        }
        List<NeighborRestore.Write> seen = new ArrayList<>();
        kernel.answer = w -> {
            seen.add(w);
            return 0;
        };

        // when the restore runs
        NeighborRestore.Summary summary = run(5000);

        // then the kernel got batches of 64, 64 and 22, each write on ifindex 9 with its address and MAC
        assertEquals(150, summary.restored());
        assertEquals(List.of(64, 64, 22), kernel.batchSizes);
        NeighborRestore.Write w = seen.stream().filter(x -> x.key().ip().toString().equals("10.4.0.17"))
                .findFirst().orElseThrow();
        assertEquals(9, w.ifindex());
        assertEquals("10.4.0.17", IpAddress.of(w.address()).toString());
        assertEquals(0x020000000411L, w.mac());
    }

    @Test
    void setsTheFlagWhenThereIsNothingToRestoreWithoutOpeningTheKernel() throws Exception {
        // given APPL_DB holds no neighbor
        // when the restore runs
        NeighborRestore.Summary summary = run(5000);

        // then the flag is set at once, the kernel untouched
        assertEquals(0, summary.total());
        assertEquals(0, kernel.opens);
        assertTrue(store.neighborsRestored());
    }

    @Test
    void keepsRetryingToOpenTheKernelUntilTheTimeoutThenSetsTheFlag() throws Exception {
        // given sockets that cannot be opened
        store.neighbor("Ethernet0", "10.0.0.2", "02:00:00:00:00:02");
        int[] tries = new int[1];
        restore = new NeighborRestore("asic9", store, 300, 10, (fd, stopping) -> {
            tries[0]++;
            throw new NetlinkException("open(/var/run/netns/asic9) failed: No such file or directory", 2);
        });

        // when the restore runs with a 300 ms timeout
        restore.start();
        NeighborRestore.Summary summary = restore.result().get(30, TimeUnit.SECONDS);

        // then it tried several times, skipped the neighbor and set the flag
        assertTrue(tries[0] > 1, "tries " + tries[0]);
        assertEquals(Map.of(key("Ethernet0", "10.0.0.2"), NeighborRestore.NAMESPACE_UNAVAILABLE), summary.skipped());
        assertTrue(store.neighborsRestored());
    }
}
