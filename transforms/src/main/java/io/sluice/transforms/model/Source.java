package io.sluice.transforms.model;

import java.io.Serializable;

/**
 * Where a document came from and what it is: the source URI (a ZIP member is named
 * {@code archiveUri!/member/path}), the content-addressed {@code docId} and the size in bytes.
 */
public record Source(String uri, String docId, long sizeBytes) implements Serializable {}
