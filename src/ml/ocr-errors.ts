// The errors OCR throws: a language package missing, or the engine failing (the image itself may be fine).

/** A language package is not installed; the message names the package. */
export class OcrLanguageMissingError extends Error {
  override readonly name = 'OcrLanguageMissingError';
  constructor(readonly language: string) {
    super(`OCR language "${language}" is not installed: npm install @tesseract.js-data/${language}`);
  }
}

/** The OCR engine failed, timed out or was closed; the image itself may be fine. */
export class OcrEngineError extends Error {
  override readonly name = 'OcrEngineError';
}
