package net.neighsyncd.api.neighbor;

/** Linux neighbor flags, as carried in {@code ndmsg.ndm_flags}. */
public final class NeighborFlags {
    public static final int USE = 0x01;
    public static final int SELF = 0x02;
    public static final int MASTER = 0x04;
    public static final int PROXY = 0x08;
    /** {@code NTF_EXT_LEARNED}: the entry was learned by a control plane such as EVPN. */
    public static final int EXT_LEARNED = 0x10;
    public static final int OFFLOADED = 0x20;
    public static final int STICKY = 0x40;
    public static final int ROUTER = 0x80;

    private NeighborFlags() {
    }

    public static boolean isExtLearned(int flags) {
        return (flags & EXT_LEARNED) != 0;
    }
}
