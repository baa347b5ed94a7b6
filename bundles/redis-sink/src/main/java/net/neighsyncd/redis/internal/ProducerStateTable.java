package net.neighsyncd.redis.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.neighsyncd.api.NeighborChange;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisNoScriptException;

/**
 * The producer side of SONiC's ProducerStateTable protocol for one table (sonic-contract.md
 * §3). Every operation is one Lua script run with EVALSHA; the calls of a write are pipelined.
 *
 * <ul>
 *   <li>set K: {@code added = SADD T_KEY_SET K}; {@code HSET _T:K f v} per field; {@code PUBLISH
 *       T_CHANNEL@db G} if added</li>
 *   <li>delete K: {@code added = SADD T_KEY_SET K}; {@code SADD T_DEL_SET K}; {@code DEL _T:K};
 *       {@code PUBLISH} if added</li>
 * </ul>
 *
 * With a batch size above 1, up to that many operations run in one script call, in order, each
 * doing exactly what its single script does; such a call publishes once when any of its keys
 * was newly added, which leaves the same Redis state as the single calls and wakes the consumer
 * just the same. Not thread-safe: its owner serialises calls.
 */
final class ProducerStateTable {
    /** The message of every PUBLISH; the consumer only counts wake-ups. */
    static final String NOTIFICATION = "G";

    /** KEYS: channel, key set, _T:K. ARGV: G, K, field, value, ... */
    static final String SET_SCRIPT = String.join("\n",
            "local added = redis.call('SADD', KEYS[2], ARGV[2])",
            "for i = 3, #ARGV, 2 do",
            "  redis.call('HSET', KEYS[3], ARGV[i], ARGV[i + 1])",
            "end",
            "if added > 0 then",
            "  redis.call('PUBLISH', KEYS[1], ARGV[1])",
            "end",
            "return added");

    /** KEYS: channel, key set, _T:K, del set. ARGV: G, K. */
    static final String DEL_SCRIPT = String.join("\n",
            "local added = redis.call('SADD', KEYS[2], ARGV[2])",
            "redis.call('SADD', KEYS[4], ARGV[2])",
            "redis.call('DEL', KEYS[3])",
            "if added > 0 then",
            "  redis.call('PUBLISH', KEYS[1], ARGV[1])",
            "end",
            "return added");

    /**
     * KEYS: channel, key set, del set, then _T:K of each operation. ARGV: G, then per operation
     * {@code S|D}, K, number of field pairs, field, value, ...
     */
    static final String BATCH_SCRIPT = String.join("\n",
            "local added = 0",
            "local a = 2",
            "for k = 4, #KEYS do",
            "  local op = ARGV[a]",
            "  local key = ARGV[a + 1]",
            "  local n = tonumber(ARGV[a + 2])",
            "  a = a + 3",
            "  added = added + redis.call('SADD', KEYS[2], key)",
            "  if op == 'D' then",
            "    redis.call('SADD', KEYS[3], key)",
            "    redis.call('DEL', KEYS[k])",
            "  else",
            "    for j = 1, n do",
            "      redis.call('HSET', KEYS[k], ARGV[a], ARGV[a + 1])",
            "      a = a + 2",
            "    end",
            "  end",
            "end",
            "if added > 0 then",
            "  redis.call('PUBLISH', KEYS[1], ARGV[1])",
            "end",
            "return added");

    /** About this many operations go into one pipelined round trip. */
    static final int OPS_PER_ROUND_TRIP = 8192;

    private final String table;
    private final String separator;
    private final String keySet;
    private final String delSet;
    private final String channel;
    private String setSha;
    private String delSha;
    private String batchSha;
    private int scriptReloads;

    /**
     * @param table     the table name, e.g. {@code NEIGH_TABLE}
     * @param separator between the table name and a key: {@code :} in APPL_DB
     * @param dbId      the Redis database number, part of the channel name
     */
    ProducerStateTable(String table, String separator, int dbId) {
        this.table = table;
        this.separator = separator;
        this.keySet = table + "_KEY_SET";
        this.delSet = table + "_DEL_SET";
        this.channel = table + "_CHANNEL@" + dbId;
    }

    String keySet() {
        return keySet;
    }

    String delSet() {
        return delSet;
    }

    String channel() {
        return channel;
    }

    /** The hash holding the pending fields of {@code key}: {@code _T:K}. */
    String stateKey(String key) {
        return "_" + table + separator + key;
    }

    /** How often the scripts were loaded again after Redis answered NOSCRIPT. */
    int scriptReloads() {
        return scriptReloads;
    }

    /** SCRIPT LOAD of every script on this connection; call after each connect. */
    void loadScripts(Jedis jedis) {
        setSha = jedis.scriptLoad(SET_SCRIPT);
        delSha = jedis.scriptLoad(DEL_SCRIPT);
        batchSha = jedis.scriptLoad(BATCH_SCRIPT);
    }

    /**
     * Writes {@code changes} in order and returns once Redis acknowledged each of them. A round
     * trip that meets NOSCRIPT (Redis restarted or flushed its scripts) loads the scripts again
     * and runs once more; the operations are idempotent, so repeating those that had already run
     * leaves the same state.
     *
     * @param batchSize operations per script call; 1 runs the single set/delete scripts
     * @throws redis.clients.jedis.exceptions.JedisException on any failure; the connection must then be dropped
     */
    void write(Jedis jedis, List<NeighborChange> changes, int batchSize) {
        if (setSha == null) {
            loadScripts(jedis);
        }
        int perTrip = Math.max(1, OPS_PER_ROUND_TRIP / batchSize) * batchSize;
        for (int from = 0; from < changes.size(); from += perTrip) {
            List<NeighborChange> trip = changes.subList(from, Math.min(changes.size(), from + perTrip));
            if (!roundTrip(jedis, trip, batchSize)) {
                scriptReloads++;
                loadScripts(jedis);
                if (!roundTrip(jedis, trip, batchSize)) {
                    throw new JedisNoScriptException("NOSCRIPT again right after SCRIPT LOAD");
                }
            }
        }
    }

    /** One pipelined round trip; false when Redis lacked a script. */
    private boolean roundTrip(Jedis jedis, List<NeighborChange> ops, int batchSize) {
        List<Response<Object>> responses = new ArrayList<>(ops.size() / batchSize + 1);
        Pipeline p = jedis.pipelined();
        if (batchSize == 1) {
            for (NeighborChange c : ops) {
                responses.add(single(p, c));
            }
        } else {
            for (int i = 0; i < ops.size(); i += batchSize) {
                responses.add(batch(p, ops.subList(i, Math.min(ops.size(), i + batchSize))));
            }
        }
        p.sync();
        boolean noScript = false;
        for (Response<Object> r : responses) {
            try {
                r.get();
            } catch (JedisNoScriptException e) {
                noScript = true;
            } catch (JedisDataException e) {
                if (e.getMessage() != null && e.getMessage().startsWith("NOSCRIPT")) {
                    noScript = true;
                } else {
                    throw e;
                }
            }
        }
        return !noScript;
    }

    private Response<Object> single(Pipeline p, NeighborChange c) {
        String key = c.key().toString();
        if (c.op() == NeighborChange.Op.DELETE) {
            return p.evalsha(delSha, List.of(channel, keySet, stateKey(key), delSet), List.of(NOTIFICATION, key));
        }
        Map<String, String> fields = c.record().fields();
        List<String> args = new ArrayList<>(2 + 2 * fields.size());
        args.add(NOTIFICATION);
        args.add(key);
        fields.forEach((f, v) -> {
            args.add(f);
            args.add(v);
        });
        return p.evalsha(setSha, List.of(channel, keySet, stateKey(key)), args);
    }

    private Response<Object> batch(Pipeline p, List<NeighborChange> ops) {
        List<String> keys = new ArrayList<>(3 + ops.size());
        keys.add(channel);
        keys.add(keySet);
        keys.add(delSet);
        List<String> args = new ArrayList<>(1 + 7 * ops.size());
        args.add(NOTIFICATION);
        for (NeighborChange c : ops) {
            String key = c.key().toString();
            keys.add(stateKey(key));
            if (c.op() == NeighborChange.Op.DELETE) {
                args.add("D");
                args.add(key);
                args.add("0");
            } else {
                Map<String, String> fields = c.record().fields();
                args.add("S");
                args.add(key);
                args.add(Integer.toString(fields.size()));
                fields.forEach((f, v) -> {
                    args.add(f);
                    args.add(v);
                });
            }
        }
        return p.evalsha(batchSha, keys, args);
    }
}
