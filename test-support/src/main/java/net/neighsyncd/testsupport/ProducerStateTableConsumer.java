package net.neighsyncd.testsupport;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * The consumer side of SONiC's ProducerStateTable protocol as a helper: the pop script orchagent's
 * consumer runs (docs/sonic-contract.md §3), one call at a time, and views of the table's objects:
 *
 * <pre>
 * SPOP T_KEY_SET n; per popped key K:
 *   if SREM T_DEL_SET K removed it: DEL T:K
 *   HGETALL _T:K, copy every field into T:K, DEL _T:K
 *   return (K, fields); empty fields after a delete mean "delete"
 * </pre>
 *
 * It pops when it is called, not when the channel wakes it. What orchagent receives depends on
 * the wake-ups as well (one pop of at most 128 keys per channel message): a test that asserts
 * that uses {@link OrchagentConsumer}, which runs this pop script once per message.
 * {@link #drainAllNotLikeOrchagent()} pops until nothing is left, which orchagent never does;
 * it suits tests of the Redis state alone.
 */
public final class ProducerStateTableConsumer {
    /** How many keys one {@link #pop()} takes, as SONiC's consumer does by default. */
    public static final int DEFAULT_POP_BATCH_SIZE = 128;

    /** KEYS: key set, del set. ARGV: n, "T:" prefix, "_T:" prefix. */
    static final String POP_SCRIPT = String.join("\n",
            "local popped = redis.call('SPOP', KEYS[1], ARGV[1])",
            "local out = {}",
            "for _, key in ipairs(popped) do",
            "  local deleted = redis.call('SREM', KEYS[2], key)",
            "  if deleted == 1 then",
            "    redis.call('DEL', ARGV[2] .. key)",
            "  end",
            "  local fields = redis.call('HGETALL', ARGV[3] .. key)",
            "  for i = 1, #fields, 2 do",
            "    redis.call('HSET', ARGV[2] .. key, fields[i], fields[i + 1])",
            "  end",
            "  redis.call('DEL', ARGV[3] .. key)",
            "  out[#out + 1] = {key, deleted, fields}",
            "end",
            "return out");

    /**
     * One popped key, as orchagent receives it.
     *
     * @param key          the key K (without the table name)
     * @param fields       the fields of a set, in the order Redis returned them; empty for a delete
     * @param deletedFirst the key had a pending delete: {@code T:K} was removed before the fields
     *                     (if any) were written, so a set here is a delete then a re-create
     */
    public record Entry(String key, Map<String, String> fields, boolean deletedFirst) {
        public Entry {
            Objects.requireNonNull(key, "key");
            fields = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(fields));
        }

        /** Orchagent sees a DEL: no fields. */
        public boolean isDelete() {
            return fields.isEmpty();
        }

        @Override
        public String toString() {
            return (isDelete() ? "DEL " : deletedFirst ? "DEL+SET " : "SET ") + key + (isDelete() ? "" : " " + fields);
        }
    }

    /**
     * How the pop script is called. orchagent's consumer sends {@code EVALSHA}; a benchmark that
     * reads {@code INFO commandstats} can have the consumer send {@code EVAL} (the script's body:
     * Redis hashes it and runs the same cached script) to tell its pops from a producer's
     * {@code EVALSHA} calls.
     */
    public enum ScriptCall {
        EVALSHA,
        EVAL
    }

    private final Jedis jedis;
    private final String table;
    private final String separator;
    private final ScriptCall scriptCall;
    private String popSha;

    /** A consumer of {@code table} in an APPL_DB-style database (separator {@code :}). */
    public ProducerStateTableConsumer(Jedis jedis, String table) {
        this(jedis, table, ":");
    }

    public ProducerStateTableConsumer(Jedis jedis, String table, String separator) {
        this(jedis, table, separator, ScriptCall.EVALSHA);
    }

    /** As above, calling the pop script as {@code scriptCall} says. */
    public ProducerStateTableConsumer(Jedis jedis, String table, String separator, ScriptCall scriptCall) {
        this.jedis = Objects.requireNonNull(jedis, "jedis");
        this.table = Objects.requireNonNull(table, "table");
        this.separator = Objects.requireNonNull(separator, "separator");
        this.scriptCall = Objects.requireNonNull(scriptCall, "scriptCall");
    }

    public String keySet() {
        return table + "_KEY_SET";
    }

    public String delSet() {
        return table + "_DEL_SET";
    }

    /** The channel the producer publishes on for database {@code db}. */
    public String channel(int db) {
        return table + "_CHANNEL@" + db;
    }

    /** {@code T:K}, the applied entry. */
    public String appliedKey(String key) {
        return table + separator + key;
    }

    /** {@code _T:K}, the pending fields. */
    public String pendingKey(String key) {
        return "_" + table + separator + key;
    }

    /** Pops up to {@value #DEFAULT_POP_BATCH_SIZE} keys, in the order SPOP returned them. */
    public List<Entry> pop() {
        return pop(DEFAULT_POP_BATCH_SIZE);
    }

    /**
     * Pops up to {@code n} keys atomically, in the order SPOP returned them: one EVALSHA of
     * {@link #POP_SCRIPT} (loaded first, and again when Redis answers NOSCRIPT), or one EVAL of
     * it when so constructed.
     */
    public List<Entry> pop(int n) {
        return pops(n, 1).get(0);
    }

    /**
     * {@code times} pops of up to {@code n} keys each, one after the other, sent in one pipelined
     * round trip: still one atomic script call per pop, each seeing what the one before left, only
     * without waiting for each reply before sending the next. Returns each pop's entries, in order.
     */
    public List<List<Entry>> pops(int n, int times) {
        if (n < 1) {
            throw new IllegalArgumentException("n < 1: " + n);
        }
        if (times < 1) {
            throw new IllegalArgumentException("times < 1: " + times);
        }
        List<String> keys = List.of(keySet(), delSet());
        List<String> args = List.of(Integer.toString(n), table + separator, "_" + table + separator);
        if (popSha == null && scriptCall == ScriptCall.EVALSHA) {
            popSha = jedis.scriptLoad(POP_SCRIPT);
        }
        List<List<Entry>> out = new ArrayList<>(times);
        boolean reloaded = false;
        while (out.size() < times) {
            Pipeline p = jedis.pipelined();
            List<Response<Object>> replies = new ArrayList<>(times - out.size());
            for (int i = out.size(); i < times; i++) {
                replies.add(scriptCall == ScriptCall.EVAL ? p.eval(POP_SCRIPT, keys, args)
                        : p.evalsha(popSha, keys, args));
            }
            p.sync();
            for (Response<Object> r : replies) {
                Object reply;
                try {
                    reply = r.get();
                } catch (JedisDataException e) {
                    // NOSCRIPT: this pop and those after it did not run; load the script and send them again
                    if (reloaded || e.getMessage() == null || !e.getMessage().startsWith("NOSCRIPT")) {
                        throw e;
                    }
                    popSha = jedis.scriptLoad(POP_SCRIPT);
                    reloaded = true;
                    break;
                }
                out.add(entries(reply));
            }
        }
        return out;
    }

    private static List<Entry> entries(Object reply) {
        List<Entry> out = new ArrayList<>();
        for (Object o : (List<?>) reply) {
            List<?> triple = (List<?>) o;
            String key = (String) triple.get(0);
            boolean deleted = ((Long) triple.get(1)) == 1L;
            List<?> flat = (List<?>) triple.get(2);
            Map<String, String> fields = new LinkedHashMap<>();
            for (int i = 0; i + 1 < flat.size(); i += 2) {
                fields.put((String) flat.get(i), (String) flat.get(i + 1));
            }
            out.add(new Entry(key, fields, deleted));
        }
        return out;
    }

    /**
     * Pops batches of {@value #DEFAULT_POP_BATCH_SIZE} until the key set is empty. This does NOT
     * model orchagent, which pops once per channel message and would leave keys waiting that no
     * message announced: use it only where a test is about the Redis state, not about what
     * orchagent receives ({@link OrchagentConsumer} is for that).
     */
    public List<Entry> drainAllNotLikeOrchagent() {
        List<Entry> all = new ArrayList<>();
        while (true) {
            List<Entry> batch = pop();
            if (batch.isEmpty()) {
                return all;
            }
            all.addAll(batch);
        }
    }

    /** The applied entry {@code T:K}; empty when absent. */
    public Map<String, String> applied(String key) {
        return new TreeMap<>(jedis.hgetAll(appliedKey(key)));
    }

    /** Every applied entry {@code T:*}, by key K. */
    public Map<String, Map<String, String>> appliedEntries() {
        Map<String, Map<String, String>> out = new TreeMap<>();
        String prefix = table + separator;
        for (String redisKey : scan(glob(prefix) + "*")) {
            out.put(redisKey.substring(prefix.length()), new TreeMap<>(jedis.hgetAll(redisKey)));
        }
        return out;
    }

    /** The keys with pending changes ({@code T_KEY_SET}). */
    public Set<String> pendingKeys() {
        return new HashSet<>(jedis.smembers(keySet()));
    }

    /** The keys with a pending delete ({@code T_DEL_SET}). */
    public Set<String> pendingDeletes() {
        return new HashSet<>(jedis.smembers(delSet()));
    }

    /** The pending fields {@code _T:K}; empty when absent. */
    public Map<String, String> pendingFields(String key) {
        return new TreeMap<>(jedis.hgetAll(pendingKey(key)));
    }

    /** Every Redis key of the table in this database: key set, del set, {@code _T:*} and {@code T:*}. */
    public Set<String> redisKeys() {
        Set<String> keys = new HashSet<>();
        keys.addAll(scan(glob(table) + "*"));
        keys.addAll(scan("_" + glob(table) + "*"));
        return keys;
    }

    private List<String> scan(String pattern) {
        List<String> keys = new ArrayList<>();
        ScanParams params = new ScanParams().match(pattern).count(1000);
        String cursor = ScanParams.SCAN_POINTER_START;
        do {
            ScanResult<String> page = jedis.scan(cursor, params);
            keys.addAll(page.getResult());
            cursor = page.getCursor();
        } while (!ScanParams.SCAN_POINTER_START.equals(cursor));
        return keys;
    }

    private static String glob(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\') {
                b.append('\\');
            }
            b.append(c);
        }
        return b.toString();
    }
}
