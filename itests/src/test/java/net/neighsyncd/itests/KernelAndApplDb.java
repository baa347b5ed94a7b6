package net.neighsyncd.itests;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import net.neighsyncd.testsupport.Netns;
import net.neighsyncd.testsupport.OrchagentConsumer;
import net.neighsyncd.testsupport.RedisServer;
import org.json.JSONArray;
import org.json.JSONObject;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * The two tables a convergence test compares: the kernel's neighbors of one interface after
 * SONiC's rules, and APPL_DB {@code NEIGH_TABLE} as orchagent leaves it: an
 * {@link OrchagentConsumer} pops in the background, once per channel message, so a key no
 * message announced stays out of {@code NEIGH_TABLE:*} and the tables never become equal.
 */
final class KernelAndApplDb implements AutoCloseable {
    private final Netns ns;
    private final String ifname;
    private final OrchagentConsumer consumer;
    private final boolean ownsConsumer;
    private final Jedis appl;

    /** With a consumer of its own, subscribed now (before the daemon writes, or counting what is pending). */
    KernelAndApplDb(Netns ns, String ifname, RedisServer redis) {
        this(ns, ifname, redis, OrchagentConsumer.start(redis, 0, "NEIGH_TABLE"), true);
    }

    /** With the test's consumer of database 0 of {@code redis}, which the test closes. */
    KernelAndApplDb(Netns ns, String ifname, RedisServer redis, OrchagentConsumer consumer) {
        this(ns, ifname, redis, consumer, false);
    }

    private KernelAndApplDb(Netns ns, String ifname, RedisServer redis, OrchagentConsumer consumer, boolean owns) {
        this.ns = ns;
        this.ifname = ifname;
        this.appl = redis.jedis(0);
        this.consumer = consumer;
        this.ownsConsumer = owns;
    }

    /** The consumer popping APPL_DB. */
    OrchagentConsumer consumer() {
        return consumer;
    }

    /**
     * {@code <ifname>:<ip>} to MAC for the kernel's neighbors on the interface that SONiC's rules
     * write: a unicast MAC, not INCOMPLETE/FAILED/NOARP, not fe80::/10 or ff02::/16 (the tests
     * use neither dual-ToR nor link-local-only mode).
     */
    Map<String, String> kernel() {
        Map<String, String> out = new TreeMap<>();
        JSONArray all = new JSONArray(ns.exec("-j", "neigh", "show", "dev", ifname));
        for (int i = 0; i < all.length(); i++) {
            JSONObject n = all.getJSONObject(i);
            String dst = n.getString("dst");
            String mac = n.optString("lladdr", "");
            String state = n.has("state") ? n.getJSONArray("state").join(",") : "";
            if (mac.isEmpty() || mac.equals("ff:ff:ff:ff:ff:ff") || state.contains("FAILED")
                    || state.contains("INCOMPLETE") || state.contains("NOARP")) {
                continue;
            }
            String lower = dst.toLowerCase();
            if (lower.startsWith("fe8") || lower.startsWith("fe9") || lower.startsWith("fea") || lower.startsWith("feb")
                    || lower.startsWith("ff02:")) {
                continue;
            }
            out.put(ifname + ":" + lower, mac.toLowerCase());
        }
        return out;
    }

    /** This interface's {@code NEIGH_TABLE:*} as key to MAC: what the consumer has applied so far. */
    Map<String, String> applDb() {
        Map<String, String> out = new TreeMap<>();
        String cursor = ScanParams.SCAN_POINTER_START;
        ScanParams params = new ScanParams().match("NEIGH_TABLE:" + ifname + ":*").count(1000);
        do {
            ScanResult<String> r = appl.scan(cursor, params);
            for (String k : r.getResult()) {
                out.put(k.substring("NEIGH_TABLE:".length()), appl.hget(k, "neigh"));
            }
            cursor = r.getCursor();
        } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
        return out;
    }

    /** Waits until both tables are equal; fails with a summary of the difference. Returns the time it took. */
    Duration awaitEqual(Duration timeout) throws InterruptedException {
        long start = System.nanoTime();
        long end = start + timeout.toNanos();
        Map<String, String> k = Map.of();
        Map<String, String> a = Map.of();
        while (System.nanoTime() < end) {
            k = kernel();
            a = applDb();
            if (k.equals(a)) {
                return Duration.ofNanos(System.nanoTime() - start);
            }
            Thread.sleep(100);
        }
        throw new AssertionError("APPL_DB did not converge to the kernel within " + timeout + ": " + diff(k, a)
                + "; orchagent's consumer: " + consumer.summary());
    }

    @Override
    public void close() throws InterruptedException {
        if (ownsConsumer) {
            consumer.close();
        }
    }

    static String diff(Map<String, String> kernel, Map<String, String> appl) {
        Map<String, String> missing = new HashMap<>(kernel);
        appl.keySet().forEach(missing::remove);
        Map<String, String> extra = new HashMap<>(appl);
        kernel.keySet().forEach(extra::remove);
        int wrong = 0;
        for (Map.Entry<String, String> e : kernel.entrySet()) {
            String v = appl.get(e.getKey());
            if (v != null && !v.equals(e.getValue())) {
                wrong++;
            }
        }
        return "kernel " + kernel.size() + ", APPL_DB " + appl.size() + "; missing " + missing.size() + " (e.g. "
                + missing.keySet().stream().limit(3).toList() + "), extra " + extra.size() + " (e.g. "
                + extra.keySet().stream().limit(3).toList() + "), wrong MAC " + wrong;
    }
}
