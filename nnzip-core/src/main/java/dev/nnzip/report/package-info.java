/**
 * The comparison of compression techniques on one model: every technique at several settings, measured for ratio,
 * accuracy, decode speed and memory ({@link dev.nnzip.report.TechniqueSweep}), and the offline HTML report with the
 * rate-accuracy plot ({@link dev.nnzip.report.RateAccuracyReport}).
 */
package dev.nnzip.report;
