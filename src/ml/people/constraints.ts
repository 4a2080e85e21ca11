// The full re-cluster's cannot-link constraints: one photo, two different people, "not this person". Auto faces that
// break them lose their person before clustering (dropInvalidAuto), and the union-find refuses the unions that would
// break them (Components). Pure; apart from clusterAll, which only decides in which order unions are tried.
import type { ClusterStats } from './cluster-types.js';
import { centroid, cosineDistance } from './vectors.js';

/** Auto faces that break a rule lose their person before clustering (they may still join someone else). */
export function dropInvalidAuto(
  label: Int32Array,
  isUser: Uint8Array,
  photo: Int32Array,
  rejectsOf: readonly (number[] | undefined)[],
  X: Float32Array,
  dim: number,
  stats: ClusterStats,
): void {
  const n = label.length;
  for (let i = 0; i < n; i += 1) {
    // A user assignment wins over a rejection of the same person (we cannot tell which came last; the assignment
    // is the explicit positive act).
    if (label[i]! >= 0 && !isUser[i] && rejectsOf[i]?.includes(label[i]!)) {
      label[i] = -1;
      stats.autoDropped += 1;
    }
  }
  const byPersonPhoto = new Map<string, number[]>();
  for (let i = 0; i < n; i += 1) {
    if (label[i]! < 0) continue;
    const key = `${label[i]}:${photo[i]}`;
    const list = byPersonPhoto.get(key);
    if (list) list.push(i);
    else byPersonPhoto.set(key, [i]);
  }
  const centroids = new Map<number, Float32Array>();
  const centroidOf = (person: number): Float32Array => {
    let c = centroids.get(person);
    if (c) return c;
    const members: number[] = [];
    for (let i = 0; i < n; i += 1) if (label[i] === person) members.push(i);
    const users = members.filter((i) => isUser[i]);
    c = centroid((users.length > 0 ? users : members).map((i) => X.subarray(i * dim, (i + 1) * dim)));
    centroids.set(person, c);
    return c;
  };
  for (const list of byPersonPhoto.values()) {
    if (list.length < 2) continue;
    const autos = list.filter((i) => !isUser[i]);
    if (autos.length === 0) continue; // only user faces: the user's call
    let keep = -1;
    if (autos.length === list.length) {
      const c = centroidOf(label[list[0]!]!);
      let bestD = Infinity;
      for (const i of autos) {
        const d = cosineDistance(X.subarray(i * dim, (i + 1) * dim), c);
        if (d < bestD) [bestD, keep] = [d, i]; // ascending index: ties keep the smaller id
      }
    }
    for (const i of autos) {
      if (i === keep) continue;
      label[i] = -1;
      stats.autoDropped += 1;
    }
  }
}

export interface Component {
  members: number[];
  photos: Set<number>;
  /** Person index, −1 for none. */
  person: number;
  /** Only while unassigned: rejected person → the member faces that rejected it. */
  rejects: Map<number, number[]> | null;
}

/** Union-find whose roots carry the data the constraints need; smaller merges into larger. */
export class Components {
  private readonly parent: Int32Array;
  private readonly data: (Component | undefined)[];
  private readonly evicted: Uint8Array;
  evictedCount = 0;

  constructor(
    n: number,
    private readonly photo: Int32Array,
    label: Int32Array,
    rejectsOf: readonly (number[] | undefined)[],
  ) {
    this.parent = new Int32Array(n);
    this.evicted = new Uint8Array(n);
    this.data = new Array(n);
    for (let i = 0; i < n; i += 1) {
      this.parent[i] = i;
      const person = label[i]!;
      const rejected = rejectsOf[i];
      this.data[i] = {
        members: [i],
        photos: new Set([photo[i]!]),
        person,
        rejects: person < 0 && rejected ? new Map(rejected.map((r) => [r, [i]])) : null,
      };
    }
  }

  find(i: number): number {
    let r = i;
    while (this.parent[r] !== r) r = this.parent[r]!;
    while (this.parent[i] !== r) {
      const next = this.parent[i]!;
      this.parent[i] = r;
      i = next;
    }
    return r;
  }

  comp(root: number): Component {
    return this.data[root]!;
  }

  *roots(): Generator<number> {
    for (let i = 0; i < this.parent.length; i += 1) if (this.parent[i] === i) yield i;
  }

  /** Union without checks: for the members of one existing person. */
  forceUnion(a: number, b: number): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra !== rb) this.link(ra, rb, []);
  }

  /** Union if no constraint is broken; `a`, `b` are the edge's ends. Returns whether they are together now. */
  tryUnion(a: number, b: number, stats: ClusterStats): boolean {
    if (this.evicted[a] || this.evicted[b]) return false;
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra === rb) return true;
    const A = this.data[ra]!;
    const B = this.data[rb]!;
    if (A.person >= 0 && B.person >= 0) {
      stats.refused.twoPeople += 1;
      return false;
    }
    let evict: number[] = [];
    if (A.person >= 0 || B.person >= 0) {
      const person = A.person >= 0 ? A.person : B.person;
      const free = A.person >= 0 ? B : A;
      const freeEnd = A.person >= 0 ? b : a;
      const rejecting = free.rejects?.get(person);
      if (rejecting !== undefined && rejecting.length > 0) {
        // The link runs through a face that is not this person: nothing joins along it.
        if (rejecting.includes(freeEnd)) {
          stats.refused.rejection += 1;
          return false;
        }
        evict = rejecting;
      }
    }
    const evictedPhotos = new Set(evict.map((i) => this.photo[i]!));
    const [small, large] = A.photos.size <= B.photos.size ? [A, B] : [B, A];
    for (const ph of small.photos) {
      if (large.photos.has(ph) && !evictedPhotos.has(ph)) {
        stats.refused.samePhoto += 1;
        return false;
      }
    }
    this.link(ra, rb, evict);
    return true;
  }

  private link(ra: number, rb: number, evict: readonly number[]): void {
    const A = this.data[ra]!;
    const B = this.data[rb]!;
    for (const i of evict) {
      this.evicted[i] = 1;
      this.evictedCount += 1;
    }
    const [root, child] = A.members.length >= B.members.length ? [ra, rb] : [rb, ra];
    const R = this.data[root]!;
    const C = this.data[child]!;
    const gone = new Set(evict);
    if (gone.size > 0) {
      for (const side of [R, C]) {
        side.members = side.members.filter((i) => !gone.has(i));
        for (const i of evict) {
          const ph = this.photo[i]!;
          if (side.photos.has(ph) && !side.members.some((m) => this.photo[m] === ph)) side.photos.delete(ph);
        }
      }
    }
    for (const i of C.members) R.members.push(i);
    for (const ph of C.photos) R.photos.add(ph);
    R.person = R.person >= 0 ? R.person : C.person;
    if (R.person >= 0) {
      R.rejects = null;
    } else if (C.rejects) {
      R.rejects ??= new Map();
      for (const [person, list] of C.rejects) {
        const mine = R.rejects.get(person);
        if (mine) mine.push(...list);
        else R.rejects.set(person, [...list]);
      }
    }
    this.parent[child] = root;
    this.data[child] = undefined;
  }
}
