package org.coalitiontracker.membership.roster;

import java.util.List;

/** One page of {@code GET /clusters}, in joining order (then name, then id, so that pages never overlap). */
public record RosterPage(int page, int size, long total, List<ClusterView> clusters) {
}
