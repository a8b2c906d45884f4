package io.agentservesim.residency;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * How a KV block shared by several programs (a common system prompt, a forked context) is charged to each
 * program's resident size, the size a policy weighs when it decides whose KV to keep (issue 14's three
 * shared-prefix charging rules):
 * <ul>
 * <li>{@code full}: every program holding the block is charged the whole block, as if the prefix were its own;
 *     sharing makes each sharer look bigger, so a shared prefix is evicted sooner.</li>
 * <li>{@code split}: each of the n holders is charged 1/n (the AgentServeSim artifact's split of a shared radix
 *     node); the sizes add up to the blocks really resident.</li>
 * <li>{@code holder}: the whole block is charged to one program, the first seen to hold it (who computed it;
 *     later sharers hit it in the cache and ride free), as Linux's memory cgroups charge a shared page to the
 *     group that first touched it. When that program is gone the charge passes to the lowest-numbered program
 *     still holding the block, so the sizes again add up to the resident blocks.</li>
 * </ul>
 */
public enum PrefixCharging {
    @JsonProperty("full") FULL,
    @JsonProperty("split") SPLIT,
    @JsonProperty("holder") HOLDER;

    /** The part of one block charged to a program: {@code holders} programs hold it, {@code isHolder} whether this one pays under HOLDER. */
    public double share(int holders, boolean isHolder) {
        if (holders <= 0) {
            throw new IllegalArgumentException("a charged block has at least one holder, got " + holders);
        }
        return switch (this) {
            case FULL -> 1.0;
            case SPLIT -> 1.0 / holders;
            case HOLDER -> isHolder ? 1.0 : 0.0;
        };
    }
}
