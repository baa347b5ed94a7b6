package net.neighsyncd.api.vrf;

/** Where a {@link VrfBindings} comes from. */
public enum VrfOrigin {
    /**
     * SONiC's CONFIG_DB: {@code VRF|<name>}, and the {@code vrf_name} field of
     * {@code INTERFACE|<if>}, {@code VLAN_INTERFACE|<vlan>} and {@code PORTCHANNEL_INTERFACE|<lag>}.
     */
    CONFIG_DB,
    /** The kernel: VRF devices and the interfaces enslaved to them. */
    KERNEL
}
