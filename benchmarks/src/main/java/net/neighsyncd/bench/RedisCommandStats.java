package net.neighsyncd.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import redis.clients.jedis.Jedis;

/**
 * Redis's own account of the time it spent executing commands: {@code CONFIG RESETSTAT} before a
 * run, {@code INFO commandstats} after it, per command its calls and microseconds (the time in
 * the command's code: neither reading nor parsing the request nor writing the reply).
 *
 * <p>Attribution to the producer (the daemon, or the ideal script). Commands a Lua script runs
 * are counted twice by Redis: under their own name and inside the {@code EVAL}/{@code EVALSHA}
 * that ran them (checked with redis-server 7.0.15: after an EVAL of many SADDs, cmdstat_sadd
 * counts them and cmdstat_eval's usec includes theirs). So the producer's time is the sum over every command the clients sent,
 * the script calls included, except:
 * <ul>
 *   <li>{@link #SCRIPT_CALLED}: the commands the producer's and the consumer's scripts run, whose
 *       time is in their script calls already (neither the daemon on a fresh Redis nor the ideal
 *       script sends them directly);</li>
 *   <li>{@link #CONSUMER}: the consumer's, which pops with {@code EVAL} for this reason (the
 *       producers use {@code EVALSHA}), its PING markers and its subscription;</li>
 *   <li>{@link #HARNESS}: the benchmark's own reads.</li>
 * </ul>
 * The producer's commands per key count each command once, those its scripts ran included: its
 * calls of the commands above minus what {@link ConsumerWork} says the pop script ran.
 */
final class RedisCommandStats {
    /** Run by the scripts (the daemon's, the ideal one, the consumer's pop script). */
    static final Set<String> SCRIPT_CALLED = Set.of("sadd", "hset", "publish", "del", "sismember", "exists", "spop",
            "srem", "hgetall");
    /** Sent by the consumer (pops, the PING marker of awaitIdle, its subscription). */
    static final Set<String> CONSUMER = Set.of("eval", "ping", "subscribe", "unsubscribe", "multi", "exec", "scard");
    /** Sent by the benchmark itself. */
    static final Set<String> HARNESS = Set.of("config|resetstat", "info", "monitor");

    /** One {@code cmdstat_<name>} line. */
    record Command(String name, long calls, long usec) {
    }

    private final Map<String, Command> commands;

    private RedisCommandStats(Map<String, Command> commands) {
        this.commands = commands;
    }

    /** {@code CONFIG RESETSTAT}: the counters start from zero. */
    static void reset(Jedis jedis) {
        jedis.configResetStat();
    }

    /** {@code INFO commandstats} now. */
    static RedisCommandStats read(Jedis jedis) {
        return parse(jedis.info("commandstats"));
    }

    static RedisCommandStats parse(String info) {
        Map<String, Command> out = new LinkedHashMap<>();
        for (String line : info.split("\r?\n")) {
            if (!line.startsWith("cmdstat_")) {
                continue;
            }
            int colon = line.indexOf(':');
            String name = line.substring("cmdstat_".length(), colon);
            long calls = 0;
            long usec = 0;
            for (String kv : line.substring(colon + 1).split(",")) {
                String[] p = kv.split("=", 2);
                if (p[0].equals("calls")) {
                    calls = Long.parseLong(p[1]);
                } else if (p[0].equals("usec")) {
                    usec = Long.parseLong(p[1]);
                }
            }
            out.put(name, new Command(name, calls, usec));
        }
        return new RedisCommandStats(out);
    }

    private static boolean producerSent(String name) {
        return !SCRIPT_CALLED.contains(name) && !CONSUMER.contains(name) && !HARNESS.contains(name);
    }

    /** Microseconds of the producer's commands (its script calls with what they ran). */
    long producerMicros() {
        return commands.values().stream().filter(c -> producerSent(c.name())).mapToLong(Command::usec).sum();
    }

    /** The producer's commands, each command its scripts ran counted too. */
    long producerCalls(ConsumerWork consumer) {
        long sent = commands.values().stream().filter(c -> producerSent(c.name())).mapToLong(Command::calls).sum();
        long scripted = 0;
        for (String name : SCRIPT_CALLED) {
            scripted += calls(name);
        }
        long popScript = consumer.pops() + 2 * consumer.keys() + consumer.dels() + consumer.hsets(); // SPOP; SREM, HGETALL
        return sent + scripted - popScript;
    }

    long calls(String name) {
        Command c = commands.get(name);
        return c == null ? 0 : c.calls();
    }

    /** The producer's commands, most time first, as {@code name calls×/usec µs}. */
    String producerBreakdown() {
        List<Command> sent = new ArrayList<>(commands.values().stream().filter(c -> producerSent(c.name())).toList());
        sent.sort(Comparator.comparingLong(Command::usec).reversed());
        return sent.stream().map(c -> String.format(Locale.ROOT, "%s %d×/%d µs", c.name(), c.calls(), c.usec()))
                .collect(Collectors.joining(", "));
    }
}
