/** A Nova microversion "2.53": compared numerically, sent in both header spellings. */
export class Microversion {
  readonly major: number;
  readonly minor: number;

  private constructor(major: number, minor: number) {
    this.major = major;
    this.minor = minor;
  }

  static parse(text: string): Microversion {
    const m = /^(\d+)\.(\d+)$/.exec(text.trim());
    if (!m) throw new Error(`'${text}' is not a microversion like 2.53`);
    return new Microversion(Number(m[1]), Number(m[2]));
  }

  static min(a: Microversion, b: Microversion): Microversion {
    return a.compare(b) <= 0 ? a : b;
  }

  compare(other: Microversion): number {
    return this.major - other.major || this.minor - other.minor;
  }

  atLeast(text: string): boolean {
    return this.compare(Microversion.parse(text)) >= 0;
  }

  toString(): string {
    return `${this.major}.${this.minor}`;
  }

  /** Both header forms: older Nova reads only the X- one. */
  headers(service: string): Record<string, string> {
    return { 'OpenStack-API-Version': `${service} ${this}`, 'X-OpenStack-Nova-API-Version': this.toString() };
  }
}
