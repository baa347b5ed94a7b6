package net.neighsyncd.api.ha;

import java.util.Optional;
import java.util.OptionalLong;

/**
 * One pipeline's leadership as an operator sees it.
 *
 * @param role            this instance's role
 * @param instanceId      this instance's id (unique per start)
 * @param leader          the instance holding the lease; empty when nobody does or Redis cannot be read
 * @param token           the fencing token of this instance's tenure; empty while standby
 * @param leaseAgeMillis  how long ago this instance last renewed or took the lease; empty while standby
 * @param streamLag       replication stream entries this instance has not read yet; empty when unknown
 * @param takeovers       how often this instance took the lease since it started
 * @param stepDowns       how often it lost it (a renewal refused or too late, or a write fenced)
 */
public record LeadershipStatus(Role role, String instanceId, Optional<String> leader, OptionalLong token,
        OptionalLong leaseAgeMillis, OptionalLong streamLag, long takeovers, long stepDowns) {
}
