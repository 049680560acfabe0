using System.Text;

namespace Klaviyo.Cli;

/// <summary>
/// One line on standard error per job event of <c>klaviyo bulk</c>, e.g.
/// <c>klaviyo: job 2 (lines 101-200): submitted, id 01HX…, queued</c>. Anything that came from the network (ids,
/// statuses, messages) is printed with control characters escaped, so an answer cannot rewrite the terminal.
/// </summary>
internal sealed class BulkProgress(TextWriter error, BulkInput input)
{
    /// <summary>Prints the line for <paramref name="e"/>.</summary>
    /// <param name="e">The event.</param>
    public void Report(BulkEvent e)
    {
        var line = e switch
        {
            { Kind: BulkEventKind.Submitted, Job: { } j } => j.Id is null
                ? $"{Name(j)}: accepted ({j.ItemCount} items)"
                : $"{Name(j)}: submitted, id {Safe(j.Id)}, {Status(j)}",
            { Kind: BulkEventKind.StatusChanged, Job: { } j } => $"job {j.Chunk + 1}: {Status(j)}",
            { Kind: BulkEventKind.Finished, Job: { } j } => $"job {j.Chunk + 1}: {Status(j)}"
                + (j.Status == BulkJobStatus.Accepted ? "" : Counts(j))
                + (
                    e.ItemErrors > 0
                        ? $", {e.ItemErrors} item error{(e.ItemErrors == 1 ? "" : "s")}"
                        : ""
                ),
            { Kind: BulkEventKind.Unfinished, Job: { } j } =>
                $"job {j.Chunk + 1}: still {Status(j)}; stopped waiting (resume with --journal)",
            { Kind: BulkEventKind.Resumed, Job: { } j } => j.IsFinished
                ? $"{Name(j)}: already {Status(j)} (journal)"
                : $"{Name(j)}: submitted before, id {Safe(j.Id ?? "")} (journal); waiting for it",
            { Kind: BulkEventKind.Refused, NotSubmitted: { } n } =>
                $"{Lines(n.FirstItem, n.Count ?? 1)}: not sent: {Safe(n.Reason)}",
            { Kind: BulkEventKind.Rejected, NotSubmitted: { } n } =>
                $"{Lines(n.FirstItem, n.Count ?? 1)}: not sent: {Safe(n.Reason)}",
            _ => $"{e.Kind}",
        };
        error.WriteLine("klaviyo: " + line);
        error.Flush();
    }

    /// <summary>Escapes control characters (and backslashes) as <c>\u001b</c>, <c>\n</c>, <c>\\</c>.</summary>
    /// <param name="text">Text from the network.</param>
    public static string Safe(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var c in text)
            sb.Append(
                c switch
                {
                    '\\' => "\\\\",
                    '\n' => "\\n",
                    '\r' => "\\r",
                    '\t' => "\\t",
                    _ when char.IsControl(c) || c is '\u2028' or '\u2029' => $"\\u{(int)c:x4}",
                    _ => c.ToString(),
                }
            );
        return sb.ToString();
    }

    private string Name(BulkJob job) =>
        $"job {job.Chunk + 1} ({Lines(job.FirstItem, job.ItemCount)})";

    private string Lines(int first, int count)
    {
        var from = input.LineOf(first);
        var to = input.LineOf(first + count - 1);
        return from == to ? $"line {from}" : $"lines {from}-{to}";
    }

    private static string Status(BulkJob job) => job.Status.ToString().ToLowerInvariant();

    private static string Counts(BulkJob job) =>
        job.Total is { } total
            ? $", {total} items" + (job.Failed is { } failed ? $", {failed} failed" : "")
            : "";
}
