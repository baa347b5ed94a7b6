package net.neighsyncd.redis.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.neighsyncd.api.engine.SwitchModes;
import net.neighsyncd.api.vrf.VrfBindings;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * Reads what neighsyncd follows in CONFIG_DB ({@link ConfigDbState}) with SCAN (never KEYS, so a
 * large CONFIG_DB does not stall Redis):
 * <ul>
 *   <li>dual ToR: any key {@code PEER_SWITCH|*} exists;</li>
 *   <li>link-local-only interfaces: the interface's own hash ({@code TABLE|<if>}, not the
 *       {@code TABLE|<if>|<prefix>} address keys) has {@code ipv6_use_link_local_only} =
 *       {@code enable}, in the table its name selects, as SONiC's neighsyncd does: Vlan* in
 *       {@code VLAN_INTERFACE}, PortChannel* in {@code PORTCHANNEL_INTERFACE}, Ethernet* in
 *       {@code INTERFACE}.</li>
 *   <li>EVPN VXLAN NVO: any key {@code VXLAN_EVPN_NVO|*} exists;</li>
 *   <li>VRFs: the keys {@code VRF|<name>}; an interface's VRF: the {@code vrf_name} field of its
 *       own hash, in the same table as its link-local setting, or for a sub-interface
 *       ({@code Ethernet0.10}, {@code Po1.10}) in {@code VLAN_SUB_INTERFACE} ({@code vrf_name}
 *       absent or empty: the default VRF, as in SONiC). A sub-interface's link-local setting is
 *       read where SONiC's neighsyncd reads it, by its name's prefix, not from
 *       {@code VLAN_SUB_INTERFACE}.</li>
 * </ul>
 */
final class ConfigDbReader {
    static final String PEER_SWITCH = "PEER_SWITCH";
    /** Any key of this table makes the switch an EVPN VXLAN NVO (docs/sonic-contract.md §4, the EVPN variant). */
    static final String VXLAN_EVPN_NVO = "VXLAN_EVPN_NVO";
    static final String LINK_LOCAL_FIELD = "ipv6_use_link_local_only";
    static final String VRF = "VRF";
    static final String VRF_NAME_FIELD = "vrf_name";
    static final String ENABLE = "enable";

    /** Interface name prefix → the CONFIG_DB table holding that interface's settings. */
    static final Map<String, String> TABLE_BY_PREFIX = Map.of(
            "Vlan", "VLAN_INTERFACE",
            "PortChannel", "PORTCHANNEL_INTERFACE",
            "Ethernet", "INTERFACE");

    /** Sub-interfaces (a parent's name, a dot, a VLAN id) and the VRF they are bound to. */
    static final String SUB_INTERFACE_TABLE = "VLAN_SUB_INTERFACE";

    private static final int SCAN_COUNT = 1000;

    private final String separator;

    /** @param separator CONFIG_DB's table/key separator, {@code |} */
    ConfigDbReader(String separator) {
        this.separator = separator;
    }

    ConfigDbState read(Jedis jedis) {
        boolean dualTor = anyKey(jedis, PEER_SWITCH + glob(separator) + "*");
        boolean evpnNvo = anyKey(jedis, VXLAN_EVPN_NVO + glob(separator) + "*");
        Set<String> vrfs = new HashSet<>();
        scan(jedis, VRF + glob(separator) + "*", key -> {
            String name = key.substring(VRF.length() + separator.length());
            if (!name.isEmpty() && !name.contains(separator)) {
                vrfs.add(name);
            }
            return true;
        });
        List<String> candidates = new ArrayList<>();
        // one pass covers INTERFACE, VLAN_INTERFACE, PORTCHANNEL_INTERFACE and VLAN_SUB_INTERFACE
        scan(jedis, "*INTERFACE" + glob(separator) + "*", key -> {
            String ifname = interfaceOf(key);
            if (ifname != null) {
                candidates.add(key);
            }
            return true;
        });
        Set<String> linkLocal = new HashSet<>();
        Map<String, String> bound = new HashMap<>();
        if (!candidates.isEmpty()) {
            Pipeline p = jedis.pipelined();
            List<Response<List<String>>> values = new ArrayList<>(candidates.size());
            for (String key : candidates) {
                values.add(p.hmget(key, LINK_LOCAL_FIELD, VRF_NAME_FIELD));
            }
            p.sync();
            for (int i = 0; i < candidates.size(); i++) {
                List<String> fields = values.get(i).get();
                String ifname = interfaceOf(candidates.get(i));
                if (ENABLE.equals(fields.get(0)) && !candidates.get(i).startsWith(SUB_INTERFACE_TABLE + separator)) {
                    linkLocal.add(ifname);
                }
                String vrf = fields.get(1);
                if (vrf != null && !vrf.isBlank()) {
                    bound.put(ifname, vrf);
                }
            }
        }
        return new ConfigDbState(new SwitchModes(dualTor, linkLocal, evpnNvo), VrfBindings.of(vrfs, bound));
    }

    /**
     * The interface whose own settings hash {@code key} is, in the table its name selects; null
     * for address keys, other tables, and names in the wrong table.
     */
    String interfaceOf(String key) {
        int sep = key.indexOf(separator);
        if (sep <= 0) {
            return null;
        }
        String table = key.substring(0, sep);
        String ifname = key.substring(sep + separator.length());
        if (ifname.isEmpty() || ifname.contains(separator)) {
            return null;
        }
        if (table.equals(SUB_INTERFACE_TABLE)) {
            return ifname.indexOf('.') > 0 ? ifname : null;
        }
        for (Map.Entry<String, String> e : TABLE_BY_PREFIX.entrySet()) {
            if (ifname.startsWith(e.getKey())) {
                return e.getValue().equals(table) ? ifname : null;
            }
        }
        return null;
    }

    private static boolean anyKey(Jedis jedis, String pattern) {
        boolean[] found = {false};
        scan(jedis, pattern, key -> {
            found[0] = true;
            return false;
        });
        return found[0];
    }

    private interface KeyVisitor {
        /** @return whether to go on */
        boolean visit(String key);
    }

    private static void scan(Jedis jedis, String pattern, KeyVisitor visitor) {
        ScanParams params = new ScanParams().match(pattern).count(SCAN_COUNT);
        String cursor = ScanParams.SCAN_POINTER_START;
        do {
            ScanResult<String> page = jedis.scan(cursor, params);
            for (String key : page.getResult()) {
                if (!visitor.visit(key)) {
                    return;
                }
            }
            cursor = page.getCursor();
        } while (!ScanParams.SCAN_POINTER_START.equals(cursor));
    }

    /** {@code s} as a literal in a Redis glob pattern. */
    static String glob(String s) {
        StringBuilder b = new StringBuilder(s.length() + 4);
        for (char c : s.toCharArray()) {
            if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\') {
                b.append('\\');
            }
            b.append(c);
        }
        return b.toString();
    }
}
