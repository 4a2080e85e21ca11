/**
 * What the library asks of the pipeline's queue: look at this photo. The queue only says which photo to look at
 * next; the database says what is left to do (src/pipeline/queue.ts: the in-process implementation).
 */
export interface PhotoQueue {
  /** Asks for the photo to be looked at. Adding a photo that is already waiting does nothing. */
  add(photoId: string): Promise<void>;
  /** Photos waiting or running. */
  depth(): Promise<number>;
  /** Resolves once nothing is waiting or running. */
  idle(): Promise<void>;
  /** Stops taking new work and waits for running jobs to finish. */
  close(): Promise<void>;
}
