package io.sluice.transforms.model;

import org.apache.beam.sdk.coders.DefaultCoder;

/**
 * Where a document came from and what it is: the source URI (a ZIP member is named {@code
 * archiveUri!/member/path}), the content-addressed {@code docId} and the size in bytes.
 */
@DefaultCoder(SourceCoder.class)
public record Source(String uri, String docId, long sizeBytes) {}
