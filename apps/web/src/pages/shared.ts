/** Option lists shared by the forms (the schemas' enums). */
export const COMPUTE_PRECISIONS = ["bf16", "fp16", "fp8", "fp32", "tf32"] as const;
export const STORAGE_PRECISIONS = ["bf16", "fp16", "fp8", "int8", "int4", "fp4"] as const;
