package net.neighsyncd.redis.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import net.neighsyncd.api.neighbor.MacAddress;
import net.neighsyncd.api.neighbor.Family;
import net.neighsyncd.api.neighbor.NeighborChange;
import net.neighsyncd.api.neighbor.NeighborRecord;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisNoScriptException;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * The producer side of SONiC's ProducerStateTable protocol for one table (docs/sonic-contract.md
 * §3). Every operation is one Lua script run with EVALSHA; the calls of a write are pipelined.
 *
 * <ul>
 *   <li>set K: {@code added = SADD T_KEY_SET K}; one {@code HSET _T:K f1 v1 f2 v2 ...} with every
 *       field; {@code PUBLISH T_CHANNEL@db G} if added</li>
 *   <li>delete K: {@code added = SADD T_KEY_SET K}; {@code SADD T_DEL_SET K}; {@code DEL _T:K};
 *       {@code PUBLISH} if added</li>
 * </ul>
 *
 * With a batch size above 1, up to that many operations run in one script call, in order, each
 * doing exactly what its single script does, PUBLISH included: one message per key the call
 * newly added to the key set, as many as the single calls send. The count matters: SONiC's
 * consumer (swss-common {@code ConsumerStateTable} under {@code Select}) is woken once per
 * message and pops at most its batch size (orchagent: 128) per wake-up, so one message for a
 * call of 512 new keys would leave 384 of them waiting until something else publishes.
 *
 * <p>It also reads the table back as the consumer will leave it ({@link #readAll}) and probes
 * whether given keys still exist ({@link #probe}), each key evaluated atomically by a script so
 * that a consumer popping at the same time cannot make a key look half-moved. For a warm start
 * it reads the applied entries alone ({@link #readApplied}) and drops everything pending
 * ({@link #clearPending}). Not thread-safe: its owner serialises calls. Every round trip Redis
 * answers (one per pipeline, one per direct command such as SCRIPT LOAD, SMEMBERS, SCAN or DEL)
 * and every script reload is counted in the {@link RedisRequestCounters} it is given.
 */
final class ProducerStateTable {
    /** The message of every PUBLISH; the consumer only counts wake-ups. */
    static final String NOTIFICATION = "G";

    /** KEYS: channel, key set, _T:K. ARGV: G, K, field, value, ... */
    static final String SET_SCRIPT = String.join("\n",
            "local added = redis.call('SADD', KEYS[2], ARGV[2])",
            "if #ARGV > 2 then",
            "  redis.call('HSET', KEYS[3], unpack(ARGV, 3))",
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
     * The operations of a batch in order, each exactly as {@link #SET_SCRIPT} or {@link #DEL_SCRIPT}
     * does it, with one PUBLISH per key newly added to the key set; returns how many were added.
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
            "  local new = redis.call('SADD', KEYS[2], key)",
            "  if op == 'D' then",
            "    redis.call('SADD', KEYS[3], key)",
            "    redis.call('DEL', KEYS[k])",
            "  elseif n > 0 then",
            "    redis.call('HSET', KEYS[k], unpack(ARGV, a, a + 2 * n - 1))",
            "    a = a + 2 * n",
            "  end",
            "  if new > 0 then",
            "    added = added + 1",
            "    redis.call('PUBLISH', KEYS[1], ARGV[1])",
            "  end",
            "end",
            "return added");

    /**
     * The effective entry of each key, as the consumer leaves {@code T:K} once it has popped
     * everything pending: {@code T:K}, unless K is pending (in the key set) with a pending delete
     * (in the del set), in which case the consumer drops it first; then, if K is pending, every
     * field of {@code _T:K} copied over it. KEYS: key set, del set, then {@code T:K} and
     * {@code _T:K} of each key. ARGV: the keys K. Returns per key the flat field list (empty when
     * there is no entry), or nil when {@code T:K} or {@code _T:K} is not a hash.
     */
    static final String READ_SCRIPT = String.join("\n",
            "local out = {}",
            "for i = 1, #ARGV do",
            "  local key = ARGV[i]",
            "  local pending = redis.call('SISMEMBER', KEYS[1], key) == 1",
            "  local fields = {}",
            "  if not (pending and redis.call('SISMEMBER', KEYS[2], key) == 1) then",
            "    fields = redis.pcall('HGETALL', KEYS[2 * i + 1])",
            "  end",
            "  if pending and not fields.err then",
            "    local more = redis.pcall('HGETALL', KEYS[2 * i + 2])",
            "    if more.err then",
            "      fields = more",
            "    elseif #more > 0 then",
            "      local at = {}",
            "      for j = 1, #fields, 2 do",
            "        at[fields[j]] = j + 1",
            "      end",
            "      for j = 1, #more, 2 do",
            "        local v = at[more[j]]",
            "        if v then",
            "          fields[v] = more[j + 1]",
            "        else",
            "          fields[#fields + 1] = more[j]",
            "          fields[#fields + 1] = more[j + 1]",
            "          at[more[j]] = #fields",
            "        end",
            "      end",
            "    end",
            "  end",
            "  if fields.err then",
            "    out[i] = false",
            "  else",
            "    out[i] = fields",
            "  end",
            "end",
            "return out");

    /**
     * How many of the keys have neither an applied entry nor a pending change: {@code EXISTS T:K}
     * or {@code SISMEMBER T_KEY_SET K}. KEYS: key set, then {@code T:K} of each key. ARGV: the
     * keys K.
     */
    static final String PROBE_SCRIPT = String.join("\n",
            "local missing = 0",
            "for i = 1, #ARGV do",
            "  if redis.call('EXISTS', KEYS[i + 1]) == 0 and redis.call('SISMEMBER', KEYS[1], ARGV[i]) == 0 then",
            "    missing = missing + 1",
            "  end",
            "end",
            "return missing");

    /** About this many operations go into one pipelined round trip. */
    static final int OPS_PER_ROUND_TRIP = 8192;

    /** Keys per {@link #READ_SCRIPT} call: short enough not to hold Redis up for long. */
    static final int READ_KEYS_PER_CALL = 256;

    /** {@link #READ_SCRIPT} calls per pipelined round trip. */
    static final int READ_CALLS_PER_ROUND_TRIP = 64;

    /** The COUNT hint of each SCAN for {@code T:*} and {@code _T:*}. */
    static final int SCAN_COUNT = 5000;

    /** Keys per DEL of {@link #clearPending}. */
    static final int DEL_KEYS_PER_CALL = 1000;

    /**
     * The table read back: the effective entry of every key that has one, and the keys whose
     * {@code T:K} or {@code _T:K} is not a hash (someone else's, unreadable as an entry).
     */
    record Contents(Map<String, Map<String, String>> entries, List<String> notHashes) {
    }

    private final String table;
    private final String separator;
    private final String keySet;
    private final String delSet;
    private final String channel;
    private String setSha;
    private String delSha;
    private String batchSha;
    private byte[] batchShaBytes;
    private final BatchBytes bytes;
    private String readSha;
    private String probeSha;
    /** {@link FencedWrites#SCRIPT}'s SHA once a fenced write loaded it; loaded again with the others after that. */
    private String fencedSha;
    private final RedisRequestCounters requests;

    /**
     * @param table     the table name, e.g. {@code NEIGH_TABLE}
     * @param separator between the table name and a key: {@code :} in APPL_DB
     * @param dbId      the Redis database number, part of the channel name
     */
    ProducerStateTable(String table, String separator, int dbId) {
        this(table, separator, dbId, new RedisRequestCounters());
    }

    /** As above, counting round trips and script reloads in {@code requests}. */
    ProducerStateTable(String table, String separator, int dbId, RedisRequestCounters requests) {
        this.requests = requests;
        this.table = table;
        this.separator = separator;
        this.keySet = table + "_KEY_SET";
        this.delSet = table + "_DEL_SET";
        this.channel = table + "_CHANNEL@" + dbId;
        this.routeChannel = ROUTE_TABLE + "_CHANNEL@" + dbId;
        this.bytes = new BatchBytes(this);
    }

    /**
     * The SHA of {@link FencedWrites#SCRIPT}, loaded on this connection at its first use (a single
     * instance never loads it) and with the other scripts from then on.
     */
    String fencedSha(Jedis jedis) {
        if (fencedSha == null) {
            fencedSha = requests.roundTrip(() -> jedis.scriptLoad(FencedWrites.SCRIPT));
        }
        return fencedSha;
    }

    /** APPL_DB's route table, whose host route of a neighbor an EVPN VXLAN switch removes first. */
    static final String ROUTE_TABLE = "ROUTE_TABLE";
    private final String routeChannel;

    String keySet() {
        return keySet;
    }

    String delSet() {
        return delSet;
    }

    String channel() {
        return channel;
    }

    /** The channel of APPL_DB's route table in the same database. */
    String routeChannel() {
        return routeChannel;
    }

    /** The pending hash of a route table key ({@code _ROUTE_TABLE:<vrf>:<ip>}). */
    String routeStateKey(String key) {
        return "_" + ROUTE_TABLE + separator + key;
    }

    /** The route table key of the host route a set replaces: {@code <vrf>:<ip>}; null when none. */
    String hostRouteKey(NeighborChange c) {
        return c.hostRouteVrf() == null ? null : c.hostRouteVrf() + separator + c.key().ip();
    }

    /** The hash holding the pending fields of {@code key}: {@code _T:K}. */
    String stateKey(String key) {
        return "_" + table + separator + key;
    }

    /** The hash holding the applied entry of {@code key}, written by the consumer: {@code T:K}. */
    String appliedKey(String key) {
        return table + separator + key;
    }

    /** How often the scripts were loaded again after Redis answered NOSCRIPT (as counted in its counters). */
    long scriptReloads() {
        return requests.scriptReloads();
    }

    /** SCRIPT LOAD of every script on this connection; call after each connect. */
    void loadScripts(Jedis jedis) {
        setSha = requests.roundTrip(() -> jedis.scriptLoad(SET_SCRIPT));
        delSha = requests.roundTrip(() -> jedis.scriptLoad(DEL_SCRIPT));
        batchSha = requests.roundTrip(() -> jedis.scriptLoad(BATCH_SCRIPT));
        batchShaBytes = batchSha.getBytes(StandardCharsets.US_ASCII);
        readSha = requests.roundTrip(() -> jedis.scriptLoad(READ_SCRIPT));
        probeSha = requests.roundTrip(() -> jedis.scriptLoad(PROBE_SCRIPT));
        if (fencedSha != null) {
            fencedSha = requests.roundTrip(() -> jedis.scriptLoad(FencedWrites.SCRIPT));
        }
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
        int perTrip = Math.max(1, OPS_PER_ROUND_TRIP / batchSize) * batchSize;
        for (int from = 0; from < changes.size(); from += perTrip) {
            List<NeighborChange> trip = changes.subList(from, Math.min(changes.size(), from + perTrip));
            pipelined(jedis, p -> {
                List<Response<?>> responses = new ArrayList<>(trip.size() / batchSize + 1);
                if (batchSize == 1) {
                    for (NeighborChange c : trip) {
                        deleteHostRoute(p, c, responses);
                        responses.add(single(p, c));
                    }
                } else {
                    for (int i = 0; i < trip.size(); i += batchSize) {
                        List<NeighborChange> ops = trip.subList(i, Math.min(trip.size(), i + batchSize));
                        ops.forEach(c -> deleteHostRoute(p, c, responses));
                        responses.add(batch(p, ops));
                    }
                }
                return responses;
            });
        }
    }

    /**
     * Reads the whole table as the consumer will leave it once it has popped everything pending
     * (see {@link #READ_SCRIPT}): every key of {@code SMEMBERS T_KEY_SET} and of {@code SCAN T:*},
     * then the script over batches of them, pipelined. The key set is read before the scan: the
     * consumer only moves keys out of the key set into {@code T:*}, so a key it pops meanwhile is
     * in the first, and an applied key it does not touch is found by the scan.
     *
     * @throws redis.clients.jedis.exceptions.JedisException on any failure; the connection must then be dropped
     */
    Contents readAll(Jedis jedis) {
        Set<String> keys = new LinkedHashSet<>(requests.roundTrip(() -> jedis.smembers(keySet)));
        String prefix = table + separator;
        ScanParams params = new ScanParams().match(glob(prefix) + "*").count(SCAN_COUNT);
        String cursor = ScanParams.SCAN_POINTER_START;
        do {
            ScanResult<String> page = scan(jedis, cursor, params);
            for (String redisKey : page.getResult()) {
                keys.add(redisKey.substring(prefix.length()));
            }
            cursor = page.getCursor();
        } while (!ScanParams.SCAN_POINTER_START.equals(cursor));

        List<String> all = new ArrayList<>(keys);
        Map<String, Map<String, String>> entries = new HashMap<>(Math.max(16, all.size() * 4 / 3 + 1));
        List<String> notHashes = new ArrayList<>();
        int perTrip = READ_KEYS_PER_CALL * READ_CALLS_PER_ROUND_TRIP;
        for (int from = 0; from < all.size(); from += perTrip) {
            List<String> trip = all.subList(from, Math.min(all.size(), from + perTrip));
            List<Object> replies = pipelined(jedis, p -> {
                List<Response<?>> responses = new ArrayList<>(READ_CALLS_PER_ROUND_TRIP);
                for (int i = 0; i < trip.size(); i += READ_KEYS_PER_CALL) {
                    responses.add(read(p, trip.subList(i, Math.min(trip.size(), i + READ_KEYS_PER_CALL))));
                }
                return responses;
            });
            int k = 0;
            for (Object reply : replies) {
                for (Object one : (List<?>) reply) {
                    String key = trip.get(k++);
                    if (one == null) {
                        notHashes.add(key);
                        continue;
                    }
                    List<?> flat = (List<?>) one;
                    if (flat.isEmpty()) {
                        continue;
                    }
                    Map<String, String> fields = new LinkedHashMap<>(flat.size());
                    for (int i = 0; i + 1 < flat.size(); i += 2) {
                        fields.put(text(flat.get(i)), text(flat.get(i + 1)));
                    }
                    entries.put(key, fields);
                }
            }
            if (k != trip.size()) {
                throw new IllegalStateException("the read script answered for " + k + " of " + trip.size() + " keys");
            }
        }
        return new Contents(entries, notHashes);
    }

    /**
     * Removes every pending object of the producer: {@code T_KEY_SET} and {@code T_DEL_SET} in
     * one DEL first (so that a consumer popping meanwhile finds nothing to pop rather than a key
     * whose fields are gone), then every {@code _T:*} hash found by SCAN, deleted in pipelined
     * batches. {@code T:*}, the applied entries, and every other table stay as they are.
     *
     * @return how many Redis keys were deleted
     * @throws redis.clients.jedis.exceptions.JedisException on any failure; the connection must then be dropped
     */
    long clearPending(Jedis jedis) {
        long deleted = requests.roundTrip(() -> jedis.del(keySet, delSet));
        ScanParams params = new ScanParams().match(glob(stateKey("")) + "*").count(SCAN_COUNT);
        String cursor = ScanParams.SCAN_POINTER_START;
        do {
            ScanResult<String> page = scan(jedis, cursor, params);
            List<String> keys = page.getResult();
            if (!keys.isEmpty()) {
                Pipeline p = jedis.pipelined();
                List<Response<Long>> replies = new ArrayList<>(keys.size() / DEL_KEYS_PER_CALL + 1);
                for (int i = 0; i < keys.size(); i += DEL_KEYS_PER_CALL) {
                    replies.add(p.del(keys.subList(i, Math.min(keys.size(), i + DEL_KEYS_PER_CALL))
                            .toArray(new String[0])));
                }
                requests.sync(p);
                for (Response<Long> r : replies) {
                    deleted += r.get();
                }
            }
            cursor = page.getCursor();
        } while (!ScanParams.SCAN_POINTER_START.equals(cursor));
        return deleted;
    }

    /**
     * The applied entries {@code T:*} only, as they are now, whatever is pending: SCAN, then
     * HGETALL of each key, pipelined. A key that is not a hash is reported in
     * {@link Contents#notHashes()}; one that vanished in between is left out.
     *
     * @throws redis.clients.jedis.exceptions.JedisException on any failure; the connection must then be dropped
     */
    Contents readApplied(Jedis jedis) {
        String prefix = appliedKey("");
        List<String> keys = new ArrayList<>();
        ScanParams params = new ScanParams().match(glob(prefix) + "*").count(SCAN_COUNT);
        String cursor = ScanParams.SCAN_POINTER_START;
        do {
            ScanResult<String> page = scan(jedis, cursor, params);
            keys.addAll(page.getResult());
            cursor = page.getCursor();
        } while (!ScanParams.SCAN_POINTER_START.equals(cursor));

        Map<String, Map<String, String>> entries = new HashMap<>(Math.max(16, keys.size() * 4 / 3 + 1));
        Set<String> notHashes = new LinkedHashSet<>();
        int perTrip = READ_KEYS_PER_CALL * READ_CALLS_PER_ROUND_TRIP;
        for (int from = 0; from < keys.size(); from += perTrip) {
            List<String> trip = keys.subList(from, Math.min(keys.size(), from + perTrip));
            Pipeline p = jedis.pipelined();
            List<Response<Map<String, String>>> replies = new ArrayList<>(trip.size());
            for (String k : trip) {
                replies.add(p.hgetAll(k));
            }
            requests.sync(p);
            for (int i = 0; i < trip.size(); i++) {
                // SCAN may return a key twice; the last read wins
                String key = trip.get(i).substring(prefix.length());
                Map<String, String> fields;
                try {
                    fields = replies.get(i).get();
                } catch (JedisDataException e) {
                    // WRONGTYPE: not a hash
                    entries.remove(key);
                    notHashes.add(key);
                    continue;
                }
                if (fields.isEmpty()) {
                    continue;
                }
                notHashes.remove(key);
                entries.put(key, new LinkedHashMap<>(fields));
            }
        }
        return new Contents(entries, new ArrayList<>(notHashes));
    }

    /** Queues one {@link #PROBE_SCRIPT} call for {@code keys} (not empty); its reply is a {@code Long}. */
    Response<Object> probe(Pipeline p, Collection<String> keys) {
        List<String> redisKeys = new ArrayList<>(1 + keys.size());
        redisKeys.add(keySet);
        for (String k : keys) {
            redisKeys.add(appliedKey(k));
        }
        return p.evalsha(probeSha, redisKeys, new ArrayList<>(keys));
    }

    /**
     * Runs the commands {@code calls} queues in one pipelined round trip and returns their
     * replies in order. When Redis lacked a script (it restarted or flushed its scripts), loads
     * the scripts again and runs the whole round trip once more: every script here is idempotent
     * for the same Redis state, so repeating the calls that had already run leaves the same
     * state. Any other error reply is thrown.
     *
     * @throws redis.clients.jedis.exceptions.JedisException on any failure; the connection must then be dropped
     */
    List<Object> pipelined(Jedis jedis, Function<Pipeline, List<Response<?>>> calls) {
        if (setSha == null) {
            loadScripts(jedis);
        }
        List<Object> replies = roundTrip(jedis, calls);
        if (replies == null) {
            requests.scriptsReloaded();
            loadScripts(jedis);
            replies = roundTrip(jedis, calls);
            if (replies == null) {
                throw new JedisNoScriptException("NOSCRIPT again right after SCRIPT LOAD");
            }
        }
        return replies;
    }

    /**
     * One pipelined round trip (none when {@code calls} queues nothing); {@code null} when Redis
     * lacked a script. Times the queueing of the calls ({@link net.neighsyncd.api.profiling.Stage#ENCODE})
     * and the sync ({@link net.neighsyncd.api.profiling.Stage#REDIS_ROUNDTRIP}) of a round trip Redis answered.
     */
    private List<Object> roundTrip(Jedis jedis, Function<Pipeline, List<Response<?>>> calls) {
        long start = System.nanoTime();
        Pipeline p = jedis.pipelined();
        List<Response<?>> responses = calls.apply(p);
        if (responses.isEmpty()) {
            p.sync(); // nothing queued: ends the pipeline without a round trip
            return List.of();
        }
        long queued = System.nanoTime();
        requests.encode.record(queued - start);
        requests.sync(p);
        requests.roundTrip.record(System.nanoTime() - queued);
        List<Object> replies = new ArrayList<>(responses.size());
        boolean noScript = false;
        for (Response<?> r : responses) {
            try {
                replies.add(r.get());
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
        return noScript ? null : replies;
    }

    private Response<Object> read(Pipeline p, List<String> keys) {
        List<String> redisKeys = new ArrayList<>(2 + 2 * keys.size());
        redisKeys.add(keySet);
        redisKeys.add(delSet);
        for (String k : keys) {
            redisKeys.add(appliedKey(k));
            redisKeys.add(stateKey(k));
        }
        return p.evalsha(readSha, redisKeys, keys);
    }

    private ScanResult<String> scan(Jedis jedis, String cursor, ScanParams params) {
        return requests.roundTrip(() -> jedis.scan(cursor, params));
    }

    private static String text(Object reply) {
        return reply instanceof byte[] ? new String((byte[]) reply, StandardCharsets.UTF_8)
                : String.valueOf(reply);
    }

    /** {@code s} as a SCAN MATCH pattern that matches only itself. */
    static String glob(String s) {
        StringBuilder b = new StringBuilder(s.length() + 4);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\') {
                b.append('\\');
            }
            b.append(c);
        }
        return b.toString();
    }

    /**
     * Before a set that replaces a host route: the ProducerStateTable delete of
     * {@code ROUTE_TABLE:<vrf>:<ip>} (same script, the route table's objects), in the same pipeline.
     */
    private void deleteHostRoute(Pipeline p, NeighborChange c, List<Response<?>> responses) {
        if (c.hostRouteVrf() == null) {
            return;
        }
        String key = c.hostRouteVrf() + separator + c.key().ip();
        responses.add(p.evalsha(delSha, List.of(routeChannel, ROUTE_TABLE + "_KEY_SET",
                "_" + ROUTE_TABLE + separator + key, ROUTE_TABLE + "_DEL_SET"), List.of(NOTIFICATION, key)));
    }

    private Response<Object> single(Pipeline p, NeighborChange c) {
        String key = c.key().toString();
        if (c.op() == NeighborChange.Op.DELETE) {
            return delete(p, key);
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

    /** Queues the single delete script for {@code key}, spelled as it is. */
    private Response<Object> delete(Pipeline p, String key) {
        return p.evalsha(delSha, List.of(channel, keySet, stateKey(key), delSet), List.of(NOTIFICATION, key));
    }

    /**
     * One {@link #BATCH_SCRIPT} call, its arguments built as bytes (what Jedis would send for the
     * same strings): the path every burst takes, so nothing is built twice.
     */
    private Response<Object> batch(Pipeline p, List<NeighborChange> ops) {
        List<byte[]> keys = new ArrayList<>(3 + ops.size());
        keys.add(bytes.channel);
        keys.add(bytes.keySet);
        keys.add(bytes.delSet);
        List<byte[]> args = new ArrayList<>(1 + 7 * ops.size());
        args.add(BatchBytes.NOTIFICATION);
        for (NeighborChange c : ops) {
            byte[] key = KeyBytes.of(c.key());
            keys.add(KeyBytes.prefixed(bytes.stateKeyPrefix, key));
            if (c.op() == NeighborChange.Op.DELETE) {
                args.add(BatchBytes.DELETE);
                args.add(key);
                args.add(BatchBytes.count(0));
            } else {
                // NeighborRecord.fields(), in its order, without the map and strings per change
                NeighborRecord r = c.record();
                args.add(BatchBytes.SET);
                args.add(key);
                args.add(BatchBytes.count(2));
                args.add(BatchBytes.FIELD_NEIGH);
                args.add(BatchBytes.mac(r.mac()));
                args.add(BatchBytes.FIELD_FAMILY);
                args.add(BatchBytes.family(r.family()));
            }
        }
        return p.evalsha(batchShaBytes, keys, args);
    }

    /** The batch script's constant arguments as bytes. */
    private static final class BatchBytes {
        static final byte[] NOTIFICATION = ProducerStateTable.NOTIFICATION.getBytes(StandardCharsets.UTF_8);
        static final byte[] SET = {'S'};
        static final byte[] DELETE = {'D'};
        private static final byte[][] COUNTS = {{'0'}, {'1'}, {'2'}, {'3'}, {'4'}};
        static final byte[] FIELD_NEIGH = NeighborRecord.FIELD_NEIGH.getBytes(StandardCharsets.UTF_8);
        static final byte[] FIELD_FAMILY = NeighborRecord.FIELD_FAMILY.getBytes(StandardCharsets.UTF_8);
        private static final byte[][] FAMILIES = familyNames();

        final byte[] channel;
        final byte[] keySet;
        final byte[] delSet;
        final byte[] stateKeyPrefix;

        BatchBytes(ProducerStateTable t) {
            channel = t.channel.getBytes(StandardCharsets.UTF_8);
            keySet = t.keySet.getBytes(StandardCharsets.UTF_8);
            delSet = t.delSet.getBytes(StandardCharsets.UTF_8);
            stateKeyPrefix = t.stateKey("").getBytes(StandardCharsets.UTF_8);
        }

        static byte[] count(int n) {
            return n < COUNTS.length ? COUNTS[n] : Integer.toString(n).getBytes(StandardCharsets.US_ASCII);
        }

        /** The {@code neigh} value: {@link MacAddress#toString()}'s text, lower-case hex with colons, as bytes. */
        static byte[] mac(MacAddress mac) {
            byte[] out = new byte[MacAddress.TEXT_LENGTH];
            mac.writeText(out, 0);
            return out;
        }

        /** The {@code family} value: {@link Family#sonicName()} as bytes. */
        static byte[] family(Family f) {
            return FAMILIES[f.ordinal()];
        }

        private static byte[][] familyNames() {
            byte[][] names = new byte[Family.values().length][];
            for (Family f : Family.values()) {
                names[f.ordinal()] = f.sonicName().getBytes(StandardCharsets.UTF_8);
            }
            return names;
        }
    }

    /**
     * The producer's delete of each key, spelled as it is (not necessarily a neighbor key), with
     * the single delete script, pipelined.
     *
     * @throws redis.clients.jedis.exceptions.JedisException on any failure; the connection must then be dropped
     */
    void deleteKeys(Jedis jedis, Collection<String> keys) {
        List<String> all = new ArrayList<>(keys);
        for (int from = 0; from < all.size(); from += OPS_PER_ROUND_TRIP) {
            List<String> trip = all.subList(from, Math.min(all.size(), from + OPS_PER_ROUND_TRIP));
            pipelined(jedis, p -> {
                List<Response<?>> responses = new ArrayList<>(trip.size());
                for (String key : trip) {
                    responses.add(delete(p, key));
                }
                return responses;
            });
        }
    }
}
