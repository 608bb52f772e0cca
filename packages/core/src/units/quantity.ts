/**
 * Branded quantities in base units (FLOP, byte, second, USD, watt, joule, token). The brand exists only at
 * compile time; the constructors below are the only casts. Conversions to and from display units live here
 * and at the edges (catalog loader, CLI formatting), never inside formulas.
 */
declare const unit: unique symbol;
export type Quantity<U extends string> = number & { readonly [unit]: U };

export type Flop = Quantity<"FLOP">;
export type FlopPerSecond = Quantity<"FLOP/s">;
export type Bytes = Quantity<"B">;
export type BytesPerSecond = Quantity<"B/s">;
export type Seconds = Quantity<"s">;
export type Usd = Quantity<"USD">;
export type Watts = Quantity<"W">;
export type Joules = Quantity<"J">;
export type Tokens = Quantity<"token">;
export type Params = Quantity<"param">;
export type Ratio = Quantity<"ratio">;

export const flop = (n: number): Flop => n as Flop;
export const flopPerSecond = (n: number): FlopPerSecond => n as FlopPerSecond;
export const bytes = (n: number): Bytes => n as Bytes;
export const bytesPerSecond = (n: number): BytesPerSecond => n as BytesPerSecond;
export const seconds = (n: number): Seconds => n as Seconds;
export const usd = (n: number): Usd => n as Usd;
export const watts = (n: number): Watts => n as Watts;
export const joules = (n: number): Joules => n as Joules;
export const tokens = (n: number): Tokens => n as Tokens;
export const params = (n: number): Params => n as Params;
export const ratio = (n: number): Ratio => n as Ratio;
