package net.neighsyncd.tracing.internal;

import java.util.concurrent.atomic.LongAdder;

/** What the tracing did since the component started, across every reconfiguration. */
final class ExportCounts {
    /** Batches turned into spans. */
    final LongAdder batches = new LongAdder();
    /** Spans the endpoint accepted. */
    final LongAdder spansExported = new LongAdder();
    /** Spans of export requests that failed: lost. */
    final LongAdder spansFailed = new LongAdder();
    /** Export requests that failed. */
    final LongAdder exportsFailed = new LongAdder();
    /** Spans dropped from a full queue by pipelines already replaced. */
    final LongAdder droppedBefore = new LongAdder();
}
