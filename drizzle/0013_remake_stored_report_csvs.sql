-- Published reports' CSV tables stored before kloe quoted multi-line cells and neutralised formulas
-- (spreadsheet-csv.ts) split a KLOE over several rows and could run a formula in a spreadsheet. A published
-- revision never changes, so the stored CSV is dropped and made again, from the same data, on the next download;
-- the other formats are kept byte for byte.
DELETE FROM "report_files" WHERE "format" IN ('ratings.csv', 'findings.csv');
