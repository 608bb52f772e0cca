/** Named scale factors: formulas use these, never bare 1e9 or 1024**3 (STYLE §5.3). */
export const KILO = 1e3;
export const MEGA = 1e6;
export const GIGA = 1e9;
export const TERA = 1e12;
export const PETA = 1e15;
export const GIBI = 2 ** 30;
export const BITS_PER_BYTE = 8;
export const SECONDS_PER_MINUTE = 60;
export const SECONDS_PER_HOUR = 3600;
export const SECONDS_PER_DAY = 86_400;
export const DAYS_PER_YEAR = 365;
export const MILLI = 1e-3;
/** 1 PF-day = 1e15 FLOP/s sustained for one day = 8.64e19 FLOP (Brown et al. 2020, Table D.1 caption). */
export const FLOP_PER_PF_DAY = PETA * SECONDS_PER_DAY;
export const JOULES_PER_MWH = 3.6e9;
export const JOULES_PER_KWH = 3.6e6;
