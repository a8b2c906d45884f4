package io.agentservesim.engine;

/**
 * An engine whose prefills and decodes run as two streams instead of vLLM's one mixed step (AgentServe,
 * arXiv 2603.10342; SGLang's separate prefill and decode batches). The <em>decode stream</em> steps every
 * decoding request, and with {@code resumeInDecodeStream} also resume prefills ({@link PrefillKind}) within
 * the controller's per-step token budget; the <em>prefill stream</em> steps the other prefills in chunks of
 * {@code max_num_batched_tokens}. Both share the scheduler's running list, waiting queues and KV pool; a request
 * is in at most one stream's step at a time.
 *
 * @param partitioned true: both streams run at once on disjoint SM shares (green contexts), decode on the
 *     controller's {@link StreamController#decodeSlot} tenths while the prefill stream has work, the other on the
 *     rest, each on the whole GPU while the other has none; false: they take turns on the whole GPU
 * @param decodeFirst when both streams could start: true = the decode stream (and, time-sliced, the two
 *     alternate so that prefills are not starved); false = the prefill stream whenever it has work (SGLang)
 * @param resumeInDecodeStream whether resume prefills ride in the decode stream's steps (AgentServe) or queue
 *     with the cold ones in the prefill stream (SGLang)
 * @param controller the decode stream's SM share and resume budget, fed with the measured decode gaps
 */
public record StreamSplit(boolean partitioned, boolean decodeFirst, boolean resumeInDecodeStream,
                          StreamController controller) {
}
