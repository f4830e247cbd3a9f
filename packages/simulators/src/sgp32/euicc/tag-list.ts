/** A tag list ([APPLICATION 28] in GetEuiccData, ProfileInfoListRequest, IpaEuiccDataRequest). */

export class TagListError extends Error {}

/** The BER tags of `bytes`, each as upper-case hex (`5A`, `9F70`, `BF22`). */
export function parseTagList(bytes: Uint8Array): string[] {
  const tags: string[] = [];
  let i = 0;
  while (i < bytes.length) {
    const start = i;
    if ((bytes[i++]! & 0x1f) === 0x1f) {
      while (i < bytes.length && bytes[i]! & 0x80) i++;
      if (i >= bytes.length) throw new TagListError(`truncated tag at offset ${start}`);
      i++;
    }
    tags.push(Buffer.from(bytes.subarray(start, i)).toString('hex').toUpperCase());
  }
  return tags;
}
