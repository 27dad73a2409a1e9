/**
 * Finds every occurrence of a set of lowercase keywords in one pass, ignoring case: an
 * Aho-Corasick automaton compiled to a transition table, so each
 * character costs two array reads however many keywords there are (a regex
 * alternation of them tries each keyword's first characters at every position).
 */

/** Character codes up to this index get a table entry; any other character matches no keyword. */
const CHAR_CODES = 0x10000;
/** Texts at least this long are searched as two halves at once. */
const SPLIT = 256;

export class KeywordSearch {
  /** Character code -> column in the transition table; 0 for characters in no keyword. */
  private readonly columnOf = new Uint8Array(CHAR_CODES);
  private readonly columns: number;
  /** Row offset of state s is s * columns; entries hold the next state's row offset, complemented when keywords end there. */
  private readonly next: Int32Array;
  /** Per state: 1 + the longest keyword ending in that state, 0 for none. */
  private readonly longestEnding: Int32Array;
  /** Per keyword: 1 + the next shorter keyword that is a suffix of it, 0 for none. */
  private readonly shorterEnding: Int32Array;
  private readonly lengths: Int32Array;
  private readonly longest: number;

  constructor(readonly keywords: readonly string[]) {
    let columns = 1;
    for (const keyword of keywords) {
      if (keyword !== keyword.toLowerCase()) throw new Error(`keyword ${keyword} is not lowercase`);
      for (const char of keyword) {
        const code = char.charCodeAt(0);
        if (this.columnOf[code] !== 0) continue;
        this.columnOf[code] = columns;
        columns += 1;
      }
    }
    if (columns > 0xff) throw new Error("too many distinct keyword characters");
    // Every character lowercasing to a keyword character shares its column (`K` and the Kelvin sign with `k`).
    for (let code = 0; code < CHAR_CODES; code += 1) {
      const lower = String.fromCharCode(code).toLowerCase();
      if (lower.length === 1 && this.columnOf[code] === 0) this.columnOf[code] = this.columnOf[lower.charCodeAt(0)] as number;
    }
    this.columns = columns;

    const trie: number[][] = [new Array<number>(columns).fill(-1)];
    const own: number[] = [-1];
    for (const [index, keyword] of keywords.entries()) {
      let state = 0;
      for (const char of keyword) {
        const column = this.columnOf[char.charCodeAt(0)] as number;
        let child = trie[state]?.[column] ?? -1;
        if (child === -1) {
          child = trie.length;
          trie.push(new Array<number>(columns).fill(-1));
          own.push(-1);
          (trie[state] as number[])[column] = child;
        }
        state = child;
      }
      own[state] = index;
    }

    // Breadth first, so a state's fallback (its longest proper suffix in the trie) is complete before its children.
    const next = new Int32Array(trie.length * columns);
    const fallback = new Array<number>(trie.length).fill(0);
    const endings: number[][] = trie.map(() => []);
    const queue: number[] = [];
    for (let column = 0; column < columns; column += 1) {
      const child = trie[0]?.[column] ?? -1;
      if (child !== -1) queue.push(child);
      next[column] = child === -1 ? 0 : child * columns;
    }
    for (const state of queue) {
      const ending = endings[state] as number[];
      if ((own[state] ?? -1) !== -1) ending.push(own[state] as number);
      ending.push(...(endings[fallback[state] as number] as number[]));
      for (let column = 0; column < columns; column += 1) {
        const child = trie[state]?.[column] ?? -1;
        const viaFallback = next[(fallback[state] as number) * columns + column] as number;
        if (child === -1) {
          next[state * columns + column] = viaFallback;
        } else {
          fallback[child] = viaFallback / columns;
          next[state * columns + column] = child * columns;
          queue.push(child);
        }
      }
    }
    // A transition into a state where keywords end is stored complemented, so the scan reads one table, not two.
    for (let index = 0; index < next.length; index += 1) {
      const target = next[index] as number;
      if ((endings[target / columns] as number[]).length > 0) next[index] = ~target;
    }
    this.next = next;
    this.longestEnding = new Int32Array(trie.length);
    this.shorterEnding = new Int32Array(keywords.length);
    for (const [state, ending] of endings.entries()) {
      this.longestEnding[state] = (ending[0] ?? -1) + 1;
      for (let index = 1; index < ending.length; index += 1) this.shorterEnding[ending[index - 1] as number] = (ending[index] as number) + 1;
    }
    this.lengths = Int32Array.from(keywords, (keyword) => keyword.length);
    this.longest = Math.max(0, ...this.lengths);
  }

  /**
   * Where keywords start, ascending, each with the longest keyword starting there
   * (as `[start, keyword index, start, keyword index, ...]`).
   */
  find(text: string): number[] {
    const found: number[] = [];
    const { next, columnOf } = this;
    const length = text.length;
    // Each step waits on the table read before it, so a long text is walked as two halves at once, which the CPU overlaps.
    const middle = length >= SPLIT ? length >> 1 : 0;
    let first = 0;
    let second = 0;
    // The second walk starts one longest keyword early: by `middle` its state is the one a single walk would have there.
    for (let at = Math.max(0, middle - this.longest); at < middle; at += 1) {
      second = next[second + (columnOf[text.charCodeAt(at)] as number)] as number;
      if (second < 0) second = ~second;
    }
    const late: number[] = [];
    for (let at = 0; at < middle; at += 1) {
      first = next[first + (columnOf[text.charCodeAt(at)] as number)] as number;
      second = next[second + (columnOf[text.charCodeAt(at + middle)] as number)] as number;
      if (second < 0) {
        second = ~second;
        late.push(at + middle, second);
      }
      if (first >= 0) continue;
      first = ~first;
      this.ending(found, first, at);
    }
    for (let at = middle + middle; at < length; at += 1) {
      second = next[second + (columnOf[text.charCodeAt(at)] as number)] as number;
      if (second < 0) {
        second = ~second;
        late.push(at, second);
      }
    }
    // The second half's keywords all end after the first half's, so adding them now keeps the single walk's order.
    for (let index = 0; index < late.length; index += 2) this.ending(found, late[index + 1] as number, late[index] as number);
    return found;
  }

  /** Records the keywords ending at `at` in the state at row offset `state`: the longest starts first, shorter ones later. */
  private ending(found: number[], state: number, at: number): void {
    const { longestEnding, shorterEnding, lengths } = this;
    for (let ending = longestEnding[state / this.columns] as number; ending !== 0; ending = shorterEnding[ending - 1] as number) {
      const keyword = ending - 1;
      addLongest(found, at + 1 - (lengths[keyword] as number), keyword, lengths);
    }
  }
}

/** Inserts a start in order (a keyword ending later may start earlier), keeping the longest keyword per start. */
function addLongest(found: number[], start: number, keyword: number, lengths: Int32Array): void {
  const last = found.length - 2;
  if (last < 0 || (found[last] as number) < start) {
    found.push(start, keyword);
    return;
  }
  let at = found.length;
  while (at > 0 && (found[at - 2] as number) > start) at -= 2;
  if (at > 0 && found[at - 2] === start) {
    if ((lengths[keyword] as number) > (lengths[found[at - 1] as number] as number)) found[at - 1] = keyword;
    return;
  }
  found.splice(at, 0, start, keyword);
}
