using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;

namespace Klaviyo.Cli;

/// <summary>
/// Reads <c>--file FILE|-</c> as JSON Lines: one JSON object per line, blank lines skipped. A line without
/// <c>type</c> gets the operation's item type; a line without <c>attributes</c>, <c>id</c> or
/// <c>relationships</c> is taken as the attributes: <c>{"email":"ada@example.com"}</c> becomes
/// <c>{"type":"profile","attributes":{"email":"ada@example.com"}}</c>.
/// </summary>
internal sealed class BulkInput(string source, BulkJobEntry job, Func<Stream> standardInput)
{
    private readonly List<int> _lines = [];

    private string Name => source == "-" ? "standard input" : $"'{source}'";

    /// <summary>The line number (from 1) of item <paramref name="item"/> (from 0), once it was read.</summary>
    /// <param name="item">The item index.</param>
    public int LineOf(int item)
    {
        lock (_lines)
            return item >= 0 && item < _lines.Count ? _lines[item] : item + 1;
    }

    /// <summary>
    /// Checks every line of a file before anything is sent (standard input is checked as it is read). A line that
    /// is not a JSON object is a <see cref="UsageException"/> naming it.
    /// </summary>
    public async Task CheckAsync(CancellationToken cancellationToken)
    {
        if (source == "-")
            return;
        await foreach (var _ in ReadAsync(cancellationToken).ConfigureAwait(false)) { }
        lock (_lines)
            _lines.Clear();
    }

    /// <summary>The items, read as they are needed.</summary>
    public async IAsyncEnumerable<JsonElement> ReadAsync(
        [EnumeratorCancellation] CancellationToken cancellationToken = default
    )
    {
        Stream stream;
        try
        {
            stream = source == "-" ? standardInput() : File.OpenRead(source);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"cannot read --file {Name}: {e.Message}");
        }
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var number = 0;
        while (true)
        {
            string? line;
            try
            {
                line = await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (IOException e)
            {
                throw new UsageException($"cannot read --file {Name}: {e.Message}");
            }
            if (line is null)
                yield break;
            number++;
            if (string.IsNullOrWhiteSpace(line))
                continue;
            var item = Parse(line, number);
            lock (_lines)
                _lines.Add(number);
            yield return item;
        }
    }

    private JsonElement Parse(string line, int number)
    {
        JsonElement value;
        try
        {
            using var document = JsonDocument.Parse(line);
            value = document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new UsageException($"line {number} of {Name} is not JSON: {e.Message}");
        }
        if (value.ValueKind != JsonValueKind.Object)
            throw new UsageException(
                $"line {number} of {Name} is not a JSON object but {value.ValueKind.ToString().ToLowerInvariant()}"
            );
        var isResource =
            value.TryGetProperty("attributes", out _)
            || value.TryGetProperty("id", out _)
            || value.TryGetProperty("relationships", out _);
        if (isResource && (value.TryGetProperty("type", out _) || job.ItemType is null))
            return value;
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(line.Length + 64);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            if (job.ItemType is { } type && !value.TryGetProperty("type", out _))
                w.WriteString("type", type);
            if (isResource)
                foreach (var member in value.EnumerateObject())
                    member.WriteTo(w);
            else
            {
                w.WritePropertyName("attributes");
                value.WriteTo(w);
            }
            w.WriteEndObject();
        }
        using var wrapped = JsonDocument.Parse(buffer.WrittenMemory);
        return wrapped.RootElement.Clone();
    }
}
