package net.neighsyncd.netlink.internal;

import static net.neighsyncd.netlink.internal.Configs.restoreConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import net.neighsyncd.api.neighbor.IpAddress;
import net.neighsyncd.api.neighbor.NeighborKey;
import net.neighsyncd.testsupport.Netns;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The kernel neighbor restore against the real kernel: a private network namespace made by the
 * test, neighbors read back with {@code ip -n NS neigh show}, the Redis store replaced by an
 * {@link InMemoryWarmRestartStore}. Needs root.
 */
class KernelNeighborRestoreTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    private Netns ns;
    private final InMemoryWarmRestartStore store = new InMemoryWarmRestartStore();
    private KernelNeighborRestore restore;
    /** The waits of the run, as it announces them. */
    private final BlockingQueue<NeighborRestore.Wait> waits = new LinkedBlockingQueue<>();

    @BeforeEach
    void namespace() {
        assumeTrue(Netns.usable(), Netns::whyUnusable);
        ns = Netns.create("nlrestore");
        ns.addVethPair("veth0", "veth1");
    }

    @AfterEach
    void cleanUp() {
        if (restore != null) {
            restore.deactivate();
        }
        if (ns != null) {
            ns.close();
        }
    }

    private NeighborRestore.Summary run(int timeoutSeconds, int retryMillis) throws Exception {
        restore = new KernelNeighborRestore(store);
        restore.activate(restoreConfig(true, ns.name(), timeoutSeconds, retryMillis));
        return restore.result().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    /** The next wait the run announces; fails when none comes. */
    private NeighborRestore.Wait nextWait() throws InterruptedException {
        NeighborRestore.Wait wait = waits.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertNotNull(wait, "the run did not wait");
        return wait;
    }

    /** {@code ip -n NS neigh show}, one line per neighbor, by address. */
    private Map<String, String> kernelNeighbors() {
        Map<String, String> out = new HashMap<>();
        for (String line : ns.exec("neigh", "show").split("\n")) {
            if (!line.isBlank()) {
                out.put(line.trim().split("\\s+")[0], line.trim());
            }
        }
        return out;
    }

    private static NeighborKey key(String ifname, String ip) {
        return new NeighborKey(ifname, IpAddress.parse(ip));
    }

    @Test
    void restoresIpv4AndIpv6NeighborsAsStaleWithTheirMacsIntoTheNamespace() throws Exception {
        // given APPL_DB holds an IPv4 and an IPv6 neighbor on veth0, which is up
        store.neighbor("veth0", "10.0.0.2", "02:00:00:00:00:02").neighbor("veth0", "2001:db8::2", "02:00:00:00:00:06");

        // when the restore runs in the namespace
        NeighborRestore.Summary summary = run(10, 100);

        // then both are in the kernel as STALE with their MACs, and the flag is set
        Map<String, String> kernel = kernelNeighbors();
        assertEquals("10.0.0.2 dev veth0 lladdr 02:00:00:00:00:02 STALE", kernel.get("10.0.0.2"), kernel::toString);
        assertEquals("2001:db8::2 dev veth0 lladdr 02:00:00:00:00:06 STALE", kernel.get("2001:db8::2"),
                kernel::toString);
        assertEquals(2, summary.total());
        assertEquals(2, summary.restored());
        assertEquals(Map.of(), summary.skipped());
        assertTrue(summary.flagSet());
        assertTrue(store.neighborsRestored());
        assertEquals(1, store.flagWrites());
    }

    @Test
    void replacesANeighborTheKernelAlreadyHasWithTheStoredMacAsStale() throws Exception {
        // given the kernel has 10.0.0.2 as REACHABLE with another MAC, APPL_DB the old one
        ns.exec("neigh", "replace", "10.0.0.2", "lladdr", "02:00:00:00:00:99", "nud", "reachable", "dev", "veth0");
        store.neighbor("veth0", "10.0.0.2", "02:00:00:00:00:02");

        // when the restore runs
        NeighborRestore.Summary summary = run(10, 100);

        // then the kernel entry is replaced by the stored MAC, STALE
        assertEquals(1, summary.restored());
        assertEquals("10.0.0.2 dev veth0 lladdr 02:00:00:00:00:02 STALE", kernelNeighbors().get("10.0.0.2"));
    }

    @Test
    void restoresManyNeighborsInPipelinedBatches() throws Exception {
        // given APPL_DB holds 300 IPv4 and 50 IPv6 neighbors on veth0 (several batches of 64)
        for (int i = 0; i < 300; i++) {
            store.neighbor("veth0", "10.1." + (i / 250) + "." + (i % 250 + 1),
                    String.format("02:00:00:01:%02x:%02x", i / 256, i % 256));
        }
        for (int i = 0; i < 50; i++) {
            store.neighbor("veth0", "2001:db8::1:" + Integer.toHexString(i + 1), String.format("02:00:00:02:00:%02x", i));
        }

        // when the restore runs
        NeighborRestore.Summary summary = run(20, 100);

        // then every one of them is in the kernel, STALE, with its MAC
        assertEquals(350, summary.restored(), () -> "skipped: " + summary.skipped());
        Map<String, String> kernel = kernelNeighbors();
        assertEquals("10.1.1.50 dev veth0 lladdr 02:00:00:01:01:2b STALE", kernel.get("10.1.1.50"));
        assertEquals("2001:db8::1:32 dev veth0 lladdr 02:00:00:02:00:31 STALE", kernel.get("2001:db8::1:32"));
        long stale = kernel.values().stream()
                .filter(l -> (l.startsWith("10.1.") || l.startsWith("2001:db8::1:")) && l.endsWith(" STALE")).count();
        assertEquals(350, stale, kernel::toString);
    }

    @Test
    void writesTheNeighborOfAWaitedForInterfaceWhenTheLinkChangeEndsTheWaitNotTheRetry() throws Exception {
        // given an interface dum0 (one end of a veth pair) that exists but is down, and a neighbor of it in APPL_DB
        ns.exec("link", "add", "dum0", "type", "veth", "peer", "name", "dum1");
        store.neighbor("dum0", "10.9.0.2", "02:00:00:00:09:02");
        // and a restore retrying only every 60 s (longer than this test waits for anything), within an hour
        restore = new KernelNeighborRestore(store, (wait, millis) -> waits.add(wait));
        restore.activate(restoreConfig(true, ns.name(), 3600, 60_000));
        assertEquals(NeighborRestore.Wait.LINK_CHANGE, nextWait(), "the run waits for a link change");

        // when dum0 comes up
        ns.exec("link", "set", "dum0", "up");

        // then the run wakes and writes the neighbor: no retry of 60 s fits in the wait for the result
        NeighborRestore.Summary summary = restore.result().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertEquals(1, summary.restored(), () -> "skipped: " + summary.skipped());
        assertEquals("10.9.0.2 dev dum0 lladdr 02:00:00:00:09:02 STALE", kernelNeighbors().get("10.9.0.2"));
        assertTrue(store.neighborsRestored());
    }

    @Test
    void skipsTheNeighborOfAnInterfaceThatNeverExistsAndStillSetsTheFlagAtTheTimeout() throws Exception {
        // given APPL_DB holds a neighbor on veth0 and one on Ethernet8, which this namespace does not have
        store.neighbor("veth0", "10.0.0.2", "02:00:00:00:00:02").neighbor("Ethernet8", "10.0.8.2", "02:00:00:00:08:02");

        // when the restore runs with a 1 s timeout, announcing its waits
        restore = new KernelNeighborRestore(store, (wait, millis) -> waits.add(wait));
        restore.activate(restoreConfig(true, ns.name(), 1, 100));
        NeighborRestore.Summary summary = restore.result().get(WAIT.toSeconds(), TimeUnit.SECONDS);

        // then it waited for Ethernet8 to appear rather than giving up at once, skipped it when the
        // timeout ended the waits, restored veth0's neighbor, and set the flag
        assertEquals(NeighborRestore.Wait.LINK_CHANGE, nextWait());
        assertEquals(2, summary.total());
        assertEquals(1, summary.restored());
        assertEquals(Map.of(key("Ethernet8", "10.0.8.2"), NeighborRestore.NO_SUCH_INTERFACE), summary.skipped());
        assertTrue(store.neighborsRestored());
        assertTrue(kernelNeighbors().containsKey("10.0.0.2"));
    }

    @Test
    void reportsTheNeighborOfAnInterfaceThatStaysDownUntilTheTimeoutAsSkippedAndStillSetsTheFlag() throws Exception {
        // given dum0 exists but stays down, and APPL_DB holds a well-formed neighbor of it
        ns.exec("link", "add", "dum0", "type", "veth", "peer", "name", "dum1");
        store.neighbor("dum0", "2001:db8:9::2", "02:00:00:00:09:06");

        // when the restore runs with a 2 s timeout
        NeighborRestore.Summary summary = run(2, 100);

        // then the neighbor is skipped as down, not written, and the flag is set
        assertEquals(0, summary.restored());
        assertEquals(Map.of(key("dum0", "2001:db8:9::2"), NeighborRestore.INTERFACE_DOWN), summary.skipped());
        assertFalse(kernelNeighbors().containsKey("2001:db8:9::2"));
        assertTrue(summary.flagSet());
        assertTrue(store.neighborsRestored());
    }

    @Test
    void setsTheFlagEvenWhenReadingAppliedFailsForAWhileThenWorks() throws Exception {
        // given APPL_DB fails the first three reads
        store.neighbor("veth0", "10.0.0.2", "02:00:00:00:00:02").failReads(3);

        // when the restore runs, retrying every 100 ms
        NeighborRestore.Summary summary = run(10, 100);

        // then the fourth read works, the neighbor is restored and the flag set
        assertEquals(4, store.reads());
        assertEquals(1, summary.restored());
        assertTrue(store.neighborsRestored());
        assertTrue(kernelNeighbors().containsKey("10.0.0.2"));
    }

    @Test
    void setsTheFlagAtTheTimeoutWhenReadingAppliedNeverWorks() throws Exception {
        // given APPL_DB fails every read
        store.neighbor("veth0", "10.0.0.2", "02:00:00:00:00:02").failReads(Integer.MAX_VALUE);

        // when the restore runs with a 1 s timeout
        NeighborRestore.Summary summary = run(1, 100);

        // then nothing is restored, and the flag is set all the same
        assertEquals(0, summary.total());
        assertTrue(store.reads() > 1);
        assertTrue(store.neighborsRestored());
        assertFalse(kernelNeighbors().containsKey("10.0.0.2"));
    }

    @Test
    void retriesTheFlagWriteUntilItWorks() throws Exception {
        // given STATE_DB fails the first two flag writes
        store.neighbor("veth0", "10.0.0.2", "02:00:00:00:00:02").failFlagWrites(2);

        // when the restore runs
        NeighborRestore.Summary summary = run(10, 50);

        // then the third write sets it
        assertEquals(3, store.flagWrites());
        assertTrue(summary.flagSet());
        assertTrue(store.neighborsRestored());
    }

    @Test
    void countsAKernelRefusalAndSkipsThatNeighborWhileTheOthersAreRestored() throws Exception {
        // given IPv6 is disabled on veth0, and APPL_DB holds an IPv4 and an IPv6 neighbor of it
        disableIpv6(ns.name(), "veth0");
        store.neighbor("veth0", "10.0.0.2", "02:00:00:00:00:02").neighbor("veth0", "2001:db8::2", "02:00:00:00:00:06");

        // when the restore runs with a timeout of an hour, announcing its waits
        restore = new KernelNeighborRestore(store, (wait, millis) -> waits.add(wait));
        restore.activate(restoreConfig(true, ns.name(), 3600, 100));
        NeighborRestore.Summary summary = restore.result().get(WAIT.toSeconds(), TimeUnit.SECONDS);

        // then the kernel's EINVAL skips the IPv6 one at once: the run ended without one wait,
        // long before its timeout
        assertEquals(1, summary.restored());
        assertEquals(Map.of(key("veth0", "2001:db8::2"), "errno 22 (EINVAL)"), summary.skipped());
        assertTrue(waits.isEmpty(), () -> "the run waited: " + waits);
        assertTrue(kernelNeighbors().containsKey("10.0.0.2"));
        assertTrue(store.neighborsRestored());
    }

    @Test
    void deactivationEndsAWaitingRunsThreadBeforeStopReturnsAndStillTriesTheFlag() throws Exception {
        // given a neighbor of an interface that never comes, a run retrying every 60 s within an hour
        store.neighbor("Ethernet8", "10.0.8.2", "02:00:00:00:08:02");
        restore = new KernelNeighborRestore(store, (wait, millis) -> waits.add(wait));
        restore.activate(restoreConfig(true, ns.name(), 3600, 60_000));
        var result = restore.result();
        // and the run waiting for a link change
        assertEquals(NeighborRestore.Wait.LINK_CHANGE, nextWait(), "the run waits for a link change");

        // when the component is deactivated
        restore.deactivate();

        // then the run's thread has ended when it returns: the stop ended the 60 s wait (the stop waits at most
        // 5 s for the thread, so a wait the stop did not end would leave it alive here)
        assertFalse(threadAlive("neighsyncd-kernel-restore[" + ns.name() + "]"));
        assertTrue(result.isDone());
        NeighborRestore.Summary summary = result.get();
        // and the neighbor was skipped as stopped, the flag set once
        assertEquals(Map.of(key("Ethernet8", "10.0.8.2"), NeighborRestore.STOPPED), summary.skipped());
        assertEquals(1, store.flagWrites());
        assertNull(restore.result());
        restore = null;
    }

    @Test
    void doesNothingWhenConfiguredButNotEnabled() throws Exception {
        // given APPL_DB holds a neighbor
        store.neighbor("veth0", "10.0.0.2", "02:00:00:00:00:02");

        // when the component is activated with enabled=false
        restore = new KernelNeighborRestore(store);
        restore.activate(restoreConfig(false, ns.name(), 10, 100));

        // then no run starts (no thread that could act later): no read, no kernel write, no flag
        assertNull(restore.result());
        assertFalse(threadAlive("neighsyncd-kernel-restore[" + ns.name() + "]"));
        assertEquals(0, store.reads());
        assertEquals(0, store.flagWrites());
        assertFalse(kernelNeighbors().containsKey("10.0.0.2"));
    }

    @Test
    void skipsEverythingAndStillSetsTheFlagWhenTheNamespaceDoesNotExist() throws Exception {
        // given a namespace name that does not exist
        store.neighbor("veth0", "10.0.0.2", "02:00:00:00:00:02");
        restore = new KernelNeighborRestore(store);

        // when the restore runs there with a 1 s timeout
        restore.activate(restoreConfig(true, ns.name() + "-missing", 1, 100));
        NeighborRestore.Summary summary = restore.result().get(WAIT.toSeconds(), TimeUnit.SECONDS);

        // then the neighbor is skipped as unreachable, and the flag is set
        assertEquals(Map.of(key("veth0", "10.0.0.2"), NeighborRestore.NAMESPACE_UNAVAILABLE), summary.skipped());
        assertTrue(store.neighborsRestored());
    }

    private static boolean threadAlive(String name) {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals(name) && t.isAlive());
    }

    private static void disableIpv6(String namespace, String ifname) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", namespace, "sh", "-c",
                "echo 1 > /proc/sys/net/ipv6/conf/" + ifname + "/disable_ipv6"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, "disable_ipv6: " + out);
    }
}
