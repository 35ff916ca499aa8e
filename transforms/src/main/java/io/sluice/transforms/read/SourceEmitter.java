package io.sluice.transforms.read;

import io.sluice.transforms.model.Failure;
import io.sluice.transforms.model.SourceDocument;

/** Receives what reading one matched file produced: documents and classified failures. */
interface SourceEmitter {
  void document(SourceDocument document);

  void failure(Failure failure);
}
