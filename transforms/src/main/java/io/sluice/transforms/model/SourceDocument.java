package io.sluice.transforms.model;

import java.io.Serializable;
import org.apache.beam.sdk.coders.DefaultCoder;
import org.apache.beam.sdk.coders.SerializableCoder;

/** A source's bytes, read once and bounded by the read limits, on their way to extraction. */
@DefaultCoder(SerializableCoder.class)
public record SourceDocument(Source source, byte[] content) implements Serializable {}
