"""Excel: the workbook layout, the XLSX report, the template and importing it back."""
