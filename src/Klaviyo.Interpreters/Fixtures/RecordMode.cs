namespace Klaviyo;

/// <summary>When <see cref="Interpreter.Record"/> sends and records, and when it answers from the fixture (VCR's record modes).</summary>
public enum RecordMode
{
    /// <summary>
    /// Record when the fixture file does not exist yet; once it exists, answer only from it, and a request it has
    /// no answer for is an error. The default: the first run records, every later run replays.
    /// </summary>
    Once,

    /// <summary>Answer the requests the fixture knows; send and record the others, appending them to the file.</summary>
    NewEpisodes,

    /// <summary>Answer only from the fixture, never send; a request it has no answer for is an error.</summary>
    None,

    /// <summary>Send every request and record it again; the file is rewritten with this run's interactions.</summary>
    All,
}
