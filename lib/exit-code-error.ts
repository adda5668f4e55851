/** An error that ends a program with its protocol's exit code (OCF's, instance-ha's). */
export class ExitCodeError<C extends number = number> extends Error {
  readonly code: C;

  constructor(code: C, message: string) {
    super(message);
    this.code = code;
  }
}
