// The mTLS overhead benchmark: k6 scripts, k6 output parsing, statistics and reports. No cluster code.
export {};
