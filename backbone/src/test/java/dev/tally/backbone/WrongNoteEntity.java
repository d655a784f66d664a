package dev.tally.backbone;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A deliberately wrong mapping of the note table, for MappedSchemaTest to find. */
@Entity
@Table(name = "note")
public class WrongNoteEntity {
    @Id
    public Long id;

    /** The column is INT. */
    @Column(nullable = false)
    public String amount;

    /** There is no such column. */
    public String colour;

    /** NOT NULL in the table. */
    public String text;
}
