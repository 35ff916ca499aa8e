package io.sluice.transforms.model;

import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * What PDFBox tells about a document besides its text. {@code damage} says what was wrong with a
 * document that PDFBox had to repair (null for a sound one). Stored as the {@code metadata} jsonb
 * of {@code ingestion.documents}; strings are already cleaned of characters PostgreSQL refuses.
 */
public record DocumentMetadata(
    int pages,
    @Nullable String pdfVersion,
    @Nullable String title,
    @Nullable String author,
    @Nullable String subject,
    @Nullable String keywords,
    @Nullable String creator,
    @Nullable String producer,
    @Nullable String created,
    @Nullable String modified,
    boolean encrypted,
    boolean canExtractContent,
    boolean canExtractForAccessibility,
    boolean canPrint,
    boolean canModify,
    @Nullable String damage) {}
