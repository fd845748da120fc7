using BatchSync.Application.Common;
using BatchSync.Domain.Sync;
using FluentValidation;
using Microsoft.Extensions.Options;

namespace BatchSync.Application.Sync.UploadBatchPart;

/// <summary>
/// Contract section 3's rules for a part, every failure reported at once: first what the reader found of
/// the wrong JSON type, then "is required" for what did not come, then the values that came.
/// </summary>
internal sealed class UploadBatchPartCommandValidator : AbstractValidator<UploadBatchPartCommand>
{
    /// <summary>Marks the failure that is a 413 rather than a 400.</summary>
    public const string TooLargeCode = "too_large";

    public UploadBatchPartCommandValidator(IOptions<BatchSyncOptions> options, TimeProvider time)
    {
        var limits = options.Value.Limits;
        RuleFor(c => c).Custom(static (command, context) =>
        {
            foreach (var (path, messages) in command.Reading.Errors)
            {
                foreach (var message in messages)
                {
                    context.AddFailure(path, message);
                }
            }
        });

        RuleFor(c => c.SyncId).Identifier(PartFields.SyncId, "sync_id");
        RuleFor(c => c.DeviceId).Identifier(PartFields.DeviceId, "device_id");
        RuleFor(c => c.UserName)
            .Required(PartFields.UserName, "user_name")
            .IfRead(PartFields.UserName, name => name.Length is >= 1 and <= 128).WithMessage("must be 1-128 characters")
            .IfRead(PartFields.UserName, name => !name.Any(char.IsControl)).WithMessage("must not contain control characters");
        RuleFor(c => c.TotalParts)
            .Required(PartFields.TotalParts, "total_parts")
            .IfRead(PartFields.TotalParts, n => n >= 1 && n <= limits.MaxBatchParts).WithMessage($"must be between 1 and {limits.MaxBatchParts}");
        RuleFor(c => c.PartNumber).Required(PartFields.PartNumber, "part_number");
        RuleFor(c => c).Custom(static (command, context) =>
        {
            // The session's own rule, checked here too so that it is reported with every other failure.
            if (command.Has(PartFields.PartNumber) &&
                SyncSession.PartNumberProblems(command.PartNumber, command.Has(PartFields.TotalParts) ? command.TotalParts : null) is { } problems)
            {
                foreach (var problem in problems)
                {
                    context.AddFailure("part_number", problem);
                }
            }
        });
        RuleFor(c => c.Records)
            .Required(PartFields.Records, "records")
            .IfRead(PartFields.Records, r => r.Count > 0).WithMessage("must contain at least one record")
            .IfRead(PartFields.Records, r => r.Count <= limits.MaxBatchSize)
            .WithMessage($"must not contain more than {limits.MaxBatchSize} records").WithErrorCode(TooLargeCode);
        var requireChecksum = options.Value.Integrity.RequireChecksum;
        RuleFor(c => c).Custom((command, context) =>
        {
            foreach (var message in ChecksumErrors(command, requireChecksum))
            {
                context.AddFailure("checksum", message);
            }
        });
        var records = new IncomingRecordRules(limits, time);
        RuleFor(c => c.Records)
            .Custom(records.Check)
            .When(c => c.Records.Count > 0 && c.Records.Count <= limits.MaxBatchSize);
    }

    /// <summary>The part's checksum field and the body's Content-Digest, each checked when present.</summary>
    private static IEnumerable<string> ChecksumErrors(UploadBatchPartCommand command, bool required)
    {
        switch (command.ContentDigest)
        {
            case DigestCheck.Mismatch:
                yield return "Content-Digest does not match the body";
                break;
            case DigestCheck.Malformed:
                yield return "Content-Digest must be an RFC 9530 digest such as sha-256=:<base64>:";
                break;
        }

        if (command.Checksum is { } claimed)
        {
            if (!IsChecksum(claimed))
            {
                yield return "must be \"sha256:\" followed by 64 hex digits";
            }
            else if (command.Has(PartFields.Records) && !string.Equals(claimed, command.RecordsChecksum, StringComparison.OrdinalIgnoreCase))
            {
                yield return $"does not match the records: their bytes in this body hash to {command.RecordsChecksum}";
            }
        }
        else if (required && command.ContentDigest != DigestCheck.Verified && !command.Reading.Came(PartFields.Checksum))
        {
            yield return "is required: send a checksum field or a Content-Digest header";
        }
    }

    private static bool IsChecksum(string value) =>
        value.Length == 71 &&
        value.StartsWith("sha256:", StringComparison.Ordinal) &&
        value.AsSpan(7).IndexOfAnyExcept(HexDigits) < 0;

    private static readonly System.Buffers.SearchValues<char> HexDigits =
        System.Buffers.SearchValues.Create("0123456789abcdefABCDEF");
}

internal static class UploadRuleExtensions
{
    /// <summary>A field that did not come (absent or JSON null) "is required"; a wrong type is the reader's to report.</summary>
    public static IRuleBuilderOptions<UploadBatchPartCommand, T> Required<T>(
        this IRuleBuilder<UploadBatchPartCommand, T> rule,
        PartFields field,
        string name) =>
        rule.Must((command, _) => command.Reading.Came(field))
            .WithMessage("is required")
            .OverridePropertyName(name);

    /// <summary>A rule on the value the client sent, checked when the reader could read one.</summary>
    public static IRuleBuilderOptions<UploadBatchPartCommand, T> IfRead<T>(
        this IRuleBuilder<UploadBatchPartCommand, T> rule,
        PartFields field,
        Func<T, bool> holds) =>
        rule.Must((command, value) => !command.Has(field) || holds(value));

    /// <summary>Ids name folders and files: a closed alphabet, never <c>.</c> or <c>..</c>.</summary>
    public static void Identifier(this IRuleBuilder<UploadBatchPartCommand, string> rule, PartFields field, string name) =>
        rule.Required(field, name)
            .IfRead(field, Identifiers.IsValid)
            .WithMessage("must be 1-128 characters of A-Z a-z 0-9 _ . : @ - and not . or ..");
}
