package net.neighsyncd.rest.internal;

import java.util.List;

/**
 * One page of {@code GET /api/v1/neighbors} (openapi.json: NeighborPage).
 *
 * @param namespace the pipeline's namespace ({@code ""}: the host's)
 * @param history   the engine start the revision counts in
 * @param revision  the revision the page was read at
 * @param items     the neighbors, in the API's order
 * @param next      the cursor of the next page; null on the last
 */
record NeighborPage(String namespace, String history, long revision, List<NeighborDocument> items, String next) {
}
