package io.sluice.transforms.model;

import org.apache.beam.sdk.coders.DefaultCoder;

/** A source's bytes, read once and bounded by the read limits, on their way to extraction. */
@DefaultCoder(SourceDocumentCoder.class)
public record SourceDocument(Source source, byte[] content) {}
