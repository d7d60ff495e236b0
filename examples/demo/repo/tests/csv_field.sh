check 'csv_field picks the first field' a "$(csv_field 'a,b,c' 1)"
check 'csv_field picks the last field' c "$(csv_field 'a,b,c' 3)"
check 'csv_field trims the blanks around a field' London "$(csv_field 'Ada Lovelace, 36, London' 3)"
check 'csv_field keeps the blanks inside a field' 'Ada Lovelace' "$(csv_field ' Ada Lovelace ,36' 1)"
