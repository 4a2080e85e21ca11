// What the search page looks up beside the search itself: the categories and people the filters offer, the name
// of an album used as a filter, and the photo a "find similar" search starts from.
import { useEffect, useState } from 'react';
import { api, type PhotoSummary } from '../../api.js';
import { albumName, listCategories, listPeopleForFilter } from '../../client/search.js';
import { messageOf } from '../../hooks/useResource.js';
import type { FilterChoices } from './SearchFilters.js';

/** The categories and people the filters offer, fetched once per visit. */
export function useFilterChoices(): FilterChoices {
  const [choices, setChoices] = useState<FilterChoices>({ categories: null, people: null, error: null });
  useEffect(() => {
    const controller = new AbortController();
    const failed = (error: unknown) => {
      if (controller.signal.aborted) return;
      setChoices((c) => ({ categories: c.categories ?? [], people: c.people ?? [], error: messageOf(error) }));
    };
    listCategories(controller.signal).then((categories) => setChoices((c) => ({ ...c, categories })), failed);
    listPeopleForFilter(controller.signal).then((people) => setChoices((c) => ({ ...c, people })), failed);
    return () => controller.abort();
  }, []);
  return choices;
}

/** The photo a "find similar" search starts from (for its name and thumbnail). */
export function useSimilarSource(photoId: string | null): PhotoSummary | null {
  const [photo, setPhoto] = useState<PhotoSummary | null>(null);
  useEffect(() => {
    setPhoto(null);
    if (!photoId) return;
    const controller = new AbortController();
    api.getPhoto(photoId, controller.signal).then(setPhoto, () => undefined);
    return () => controller.abort();
  }, [photoId]);
  return photo;
}

/** The name of the album a filter names (null while it loads). */
export function useAlbumName(id: string | undefined): string | null {
  const [name, setName] = useState<string | null>(null);
  useEffect(() => {
    setName(null);
    if (!id) return;
    const controller = new AbortController();
    albumName(id, controller.signal).then(setName, () => {
      if (!controller.signal.aborted) setName('an album no longer in the library');
    });
    return () => controller.abort();
  }, [id]);
  return name;
}
