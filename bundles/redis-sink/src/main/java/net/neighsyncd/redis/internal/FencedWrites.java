package net.neighsyncd.redis.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.neighsyncd.api.ha.HaKeys;
import net.neighsyncd.api.ha.WriteFence;
import net.neighsyncd.api.neighbor.NeighborChange;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Response;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;

/**
 * A leader's writes of one pipeline (docs/ha.md): the same ProducerStateTable operations as
 * {@link ProducerStateTable#BATCH_SCRIPT}, PUBLISH for PUBLISH, but each script call first checks
 * that the fencing token is still the latest and does nothing when it is not, and appends every
 * NEIGH_TABLE change it makes to the replication stream with the next sequence number. A deposed
 * leader (paused past its lease, its successor already writing) therefore cannot change a single
 * key, and what the stream says was applied is exactly what was.
 */
final class FencedWrites {
    /** How the script's refusal starts; the rest of the message names both tokens. */
    static final String FENCED = "FENCED";

    /**
     * KEYS: fence, stream, sequence, channel, key set, del set, route channel, route key set, route
     * del set, then per operation its pending hash ({@code _NEIGH_TABLE:K} or {@code _ROUTE_TABLE:K}).
     * ARGV: token, stream length, G, then per operation {@code S|D|R}, K, number of field pairs,
     * field, value, ... ({@code R}: the delete of a host route before the set that replaces it).
     * Returns how many keys were newly added to NEIGH_TABLE's key set.
     */
    static final String SCRIPT = String.join("\n",
            "local latest = redis.call('GET', KEYS[1])",
            "if latest ~= ARGV[1] then",
            "  return redis.error_reply('" + FENCED + " token ' .. ARGV[1] .. ' is not the latest ('"
                    + " .. tostring(latest) .. ')')",
            "end",
            "local added = 0",
            "local a = 4",
            "for k = 10, #KEYS do",
            "  local op = ARGV[a]",
            "  local key = ARGV[a + 1]",
            "  local n = tonumber(ARGV[a + 2])",
            "  a = a + 3",
            "  if op == 'R' then",
            "    local new = redis.call('SADD', KEYS[8], key)",
            "    redis.call('SADD', KEYS[9], key)",
            "    redis.call('DEL', KEYS[k])",
            "    if new > 0 then",
            "      redis.call('PUBLISH', KEYS[7], ARGV[3])",
            "    end",
            "  else",
            "    local new = redis.call('SADD', KEYS[5], key)",
            "    local seq = redis.call('INCR', KEYS[3])",
            "    if op == 'D' then",
            "      redis.call('SADD', KEYS[6], key)",
            "      redis.call('DEL', KEYS[k])",
            "      redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[2], '*', 'seq', seq, 'token', ARGV[1],"
                    + " 'op', 'DEL', 'key', key)",
            "    else",
            "      if n > 0 then",
            "        redis.call('HSET', KEYS[k], unpack(ARGV, a, a + 2 * n - 1))",
            "      end",
            "      redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[2], '*', 'seq', seq, 'token', ARGV[1],"
                    + " 'op', 'SET', 'key', key, unpack(ARGV, a, a + 2 * n - 1))",
            "      a = a + 2 * n",
            "    end",
            "    if new > 0 then",
            "      added = added + 1",
            "      redis.call('PUBLISH', KEYS[4], ARGV[3])",
            "    end",
            "  end",
            "end",
            "return added");

    /**
     * KEYS: fence, sequence. ARGV: token. Checks the token as {@link #SCRIPT} does and increments
     * the sequence without an entry: a change to NEIGH_TABLE that the stream cannot describe (a
     * warm start's clean-up) leaves a gap, and every follower reads the table again.
     */
    static final String GAP_SCRIPT = String.join("\n",
            "local latest = redis.call('GET', KEYS[1])",
            "if latest ~= ARGV[1] then",
            "  return redis.error_reply('" + FENCED + " token ' .. ARGV[1] .. ' is not the latest ('"
                    + " .. tostring(latest) .. ')')",
            "end",
            "return redis.call('INCR', KEYS[2])");

    private final ProducerStateTable table;
    private final String fenceKey;
    private final String streamKey;
    private final String sequenceKey;

    FencedWrites(ProducerStateTable table, String namespace) {
        this.table = table;
        this.fenceKey = HaKeys.fence(namespace);
        this.streamKey = HaKeys.stream(namespace);
        this.sequenceKey = HaKeys.sequence(namespace);
    }

    /** Whether {@code e} is a script's refusal of a deposed leader's token. */
    static boolean isFenced(JedisException e) {
        return e instanceof JedisDataException && e.getMessage() != null && e.getMessage().startsWith(FENCED);
    }

    /**
     * Writes {@code changes} in order under {@code fence}, {@code batchSize} operations per script
     * call, in pipelined round trips; nothing from the first refused call on is applied.
     *
     * @throws JedisException on any failure, {@link #isFenced} when the token is no longer the latest
     */
    void write(Jedis jedis, List<NeighborChange> changes, int batchSize, WriteFence fence) {
        int perTrip = Math.max(1, ProducerStateTable.OPS_PER_ROUND_TRIP / batchSize) * batchSize;
        String sha = table.fencedSha(jedis);
        for (int from = 0; from < changes.size(); from += perTrip) {
            List<NeighborChange> trip = changes.subList(from, Math.min(changes.size(), from + perTrip));
            table.pipelined(jedis, p -> {
                List<Response<?>> responses = new ArrayList<>(trip.size() / batchSize + 1);
                for (int i = 0; i < trip.size(); i += batchSize) {
                    responses.add(call(p, sha, trip.subList(i, Math.min(trip.size(), i + batchSize)), fence));
                }
                return responses;
            });
        }
    }

    /**
     * A gap in the stream under {@code fence} (see {@link #GAP_SCRIPT}).
     *
     * @throws JedisException on any failure, {@link #isFenced} when the token is no longer the latest
     */
    void gap(Jedis jedis, WriteFence fence) {
        jedis.eval(GAP_SCRIPT, List.of(fenceKey, sequenceKey), List.of(Long.toString(fence.token())));
    }

    private Response<Object> call(redis.clients.jedis.Pipeline p, String sha, List<NeighborChange> ops,
            WriteFence fence) {
        List<String> keys = new ArrayList<>(9 + 2 * ops.size());
        keys.add(fenceKey);
        keys.add(streamKey);
        keys.add(sequenceKey);
        keys.add(table.channel());
        keys.add(table.keySet());
        keys.add(table.delSet());
        keys.add(table.routeChannel());
        keys.add(ProducerStateTable.ROUTE_TABLE + "_KEY_SET");
        keys.add(ProducerStateTable.ROUTE_TABLE + "_DEL_SET");
        List<String> args = new ArrayList<>(3 + 7 * ops.size());
        args.add(Long.toString(fence.token()));
        args.add(Long.toString(fence.streamMaxLength()));
        args.add(ProducerStateTable.NOTIFICATION);
        for (NeighborChange c : ops) {
            String route = table.hostRouteKey(c);
            if (route != null) {
                keys.add(table.routeStateKey(route));
                args.add("R");
                args.add(route);
                args.add("0");
            }
            String key = c.key().toString();
            keys.add(table.stateKey(key));
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
        return p.evalsha(sha, keys, args);
    }
}
