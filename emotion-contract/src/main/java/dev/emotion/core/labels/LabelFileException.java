package dev.emotion.core.labels;

import java.nio.file.Path;

/** A label file that cannot be used; the message names the file, and the row and column when there is one. */
public class LabelFileException extends RuntimeException {

    private final Path file;
    private final int row;
    private final String column;

    public LabelFileException(Path file, int row, String column, String problem) {
        super(where(file, row, column) + problem);
        this.file = file;
        this.row = row;
        this.column = column;
    }

    /** The file; {@code row} is 1-based as an editor shows it, 0 when the problem is not in one row. */
    public Path file() {
        return file;
    }

    public int row() {
        return row;
    }

    public String column() {
        return column;
    }

    static String where(Path file, int row, String column) {
        StringBuilder sb = new StringBuilder().append(file);
        if (row > 0) {
            sb.append(" row ").append(row);
        }
        if (column != null) {
            sb.append(" column '").append(column).append('\'');
        }
        return sb.append(": ").toString();
    }
}
