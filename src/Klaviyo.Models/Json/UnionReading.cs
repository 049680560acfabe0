using System.Text.Json;

namespace Klaviyo.Models;

/// <summary>
/// The steps generated unions are read in. Telling the case apart scans a copy of the reader (the whole value is
/// buffered before a converter runs), so the value is then read once, straight into the chosen case.
/// </summary>
internal static class UnionReading
{
    /// <summary>The string value of the object's top-level member <paramref name="name"/>, or null.</summary>
    /// <param name="reader">A copy of the reader, on the object's start.</param>
    /// <param name="name">The member.</param>
    public static string? Member(Utf8JsonReader reader, string name)
    {
        var depth = reader.CurrentDepth;
        while (reader.Read())
        {
            if (reader.CurrentDepth == depth)
                return null; // the object's end
            if (reader.TokenType != JsonTokenType.PropertyName)
                continue;
            var match = !JsonText.IsBroken(ref reader) && reader.ValueTextEquals(name);
            if (!reader.Read())
                return null;
            if (match)
                return reader.TokenType == JsonTokenType.String
                    ? JsonText.String(ref reader)
                    : null;
            if (!reader.TrySkip())
                return null;
        }
        return null;
    }

    /// <summary>The object's top-level member names and their string values.</summary>
    /// <param name="reader">A copy of the reader, on the object's start.</param>
    public static ObjectShape Shape(Utf8JsonReader reader)
    {
        var shape = new ObjectShape();
        var depth = reader.CurrentDepth;
        while (reader.Read() && reader.CurrentDepth > depth)
        {
            if (reader.TokenType != JsonTokenType.PropertyName)
                continue;
            var name = JsonText.String(ref reader)!;
            if (!reader.Read())
                break;
            shape.Add(
                name,
                reader.TokenType == JsonTokenType.String ? JsonText.String(ref reader) : null
            );
            if (!reader.TrySkip())
                break;
        }
        return shape;
    }

    /// <summary>Keeps the value as it is.</summary>
    public static JsonElement Raw(ref Utf8JsonReader reader) => JsonElement.ParseValue(ref reader);
}

/// <summary>An object's top-level member names, and the values of those that are strings.</summary>
internal sealed class ObjectShape
{
    private readonly Dictionary<string, string?> _members = new(StringComparer.Ordinal);

    public void Add(string name, string? value) => _members[name] = value;

    /// <summary>
    /// The case the object fits best: among the cases whose required members it has and whose constant members it
    /// does not contradict, the one that declares most of its members (the first on a tie); -1 when none fits.
    /// </summary>
    public int Best(Case[] cases)
    {
        var best = -1;
        var bestScore = -1;
        for (var i = 0; i < cases.Length; i++)
        {
            var c = cases[i];
            if (!c.Required.All(_members.ContainsKey))
                continue;
            var fits = true;
            for (var k = 0; k + 1 < c.Constants.Length && fits; k += 2)
                fits = !_members.TryGetValue(c.Constants[k], out var v) || v == c.Constants[k + 1];
            if (!fits)
                continue;
            var score = _members.Keys.Count(c.Members.Contains);
            if (score > bestScore)
                (best, bestScore) = (i, score);
        }
        return best;
    }

    /// <summary>What an object of one case looks like.</summary>
    /// <param name="Required">Members it must have.</param>
    /// <param name="Constants">Name, value, name, value…: members that, when present, hold that value.</param>
    /// <param name="Members">Every member it declares.</param>
    internal sealed record Case(string[] Required, string[] Constants, string[] Members);
}
