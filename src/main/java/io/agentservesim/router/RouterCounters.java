package io.agentservesim.router;

/** What routing did over a run: routes, affinity hits and breaks, cold placements. */
public final class RouterCounters {
    private long routes;
    private long affinityHits;
    private long affinityBreaks;
    private long coldPlacements;

    /** Records one routed turn: {@code home} is the turn's home instance (-1: none), {@code chosen} where it went. */
    public void record(int home, int chosen) {
        routes++;
        if (home < 0) {
            coldPlacements++;
        } else if (home == chosen) {
            affinityHits++;
        } else {
            affinityBreaks++;
        }
    }

    public long routes() { return routes; }
    /** Turns sent back to the instance that ran their program's previous turn. */
    public long affinityHits() { return affinityHits; }
    /** Turns with a home instance sent elsewhere. */
    public long affinityBreaks() { return affinityBreaks; }
    /** Turns without a home instance (a program's first turn). */
    public long coldPlacements() { return coldPlacements; }
}
