using BatchSync.Domain.Common;
using BatchSync.Domain.Sync;

namespace BatchSync.UnitTests.Domain;

public class SyncSessionTests
{
    private static readonly DateTime Now = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private static PartSubmission Part(
        int number, string hash = "h", string device = "d1", string user = "u", int total = 3, string? checksum = null) =>
        new(device, user, number, total, 10, checksum ?? $"sha256:{hash}{number}", $"{hash}{number}");

    private static SyncSession NewSession() => SyncSession.Start("s1", "d1", "u", 3, Now);

    [Fact]
    public void ReceivePart_NewPartWhileOthersMissing_Stored()
    {
        var session = NewSession();

        var receipt = session.ReceivePart(Part(2), Now);

        Assert.Equal(PartReceipt.Stored, receipt.Value);
        Assert.Equal([1, 3], session.MissingParts());
    }

    [Fact]
    public void ReceivePart_LastMissingPart_ReadyToComplete()
    {
        var session = NewSession();
        session.ReceivePart(Part(3), Now);
        session.ReceivePart(Part(1), Now);

        var receipt = session.ReceivePart(Part(2), Now);

        Assert.Equal(PartReceipt.ReadyToComplete, receipt.Value);
        Assert.True(session.IsComplete);
        Assert.Empty(session.MissingParts());
    }

    private static SyncSession RestoredFor(int partNumber, int total, params int[] held)
    {
        var stored = held.Select(n => new BatchPart(n, 10, $"sha256:h{n}", $"h{n}", Now)).ToList();
        return SyncSession.Restore(
            "s1", "d1", "u", total, SyncStatus.Open, Now, Now, null, null, stored.Where(p => p.PartNumber == partNumber), stored.Count);
    }

    [Fact]
    public void RestoredForOnePart_TheLastMissingPart_ReadyToComplete_AndCountsEveryPartHeld()
    {
        var session = RestoredFor(3, total: 3, held: [1, 2]);

        Assert.Empty(session.Parts);
        Assert.Equal(2, session.PartCount);
        Assert.Equal(PartReceipt.ReadyToComplete, session.ReceivePart(Part(3), Now).Value);
        Assert.True(session.IsComplete);
        Assert.Throws<InvalidOperationException>(() => session.MissingParts().ToList());
    }

    [Fact]
    public void RestoredForOnePart_ThatPartHeld_DuplicateOrConflict_NotCountedTwice()
    {
        Assert.Equal(PartReceipt.Duplicate, RestoredFor(2, total: 3, held: [1, 2]).ReceivePart(Part(2), Now).Value);
        Assert.False(RestoredFor(2, total: 3, held: [1, 2]).ReceivePart(Part(2, hash: "other"), Now).IsSuccess);

        var session = RestoredFor(2, total: 2, held: [1, 2]);
        Assert.Equal(PartReceipt.Duplicate, session.ReceivePart(Part(2, total: 2), Now).Value);
        Assert.Equal(2, session.PartCount);
    }

    [Fact]
    public void RestoredForOnePart_Aborted_HoldsNoPartsAfter()
    {
        var session = RestoredFor(1, total: 3, held: [2, 3]);

        Assert.True(session.Abort(Now).IsSuccess);
        Assert.Equal(0, session.PartCount);
        Assert.Throws<ArgumentOutOfRangeException>(() => SyncSession.Restore(
            "s1", "d1", "u", 3, SyncStatus.Open, Now, Now, null, null, [new BatchPart(1, 10, "c", "h", Now)], partCount: 0));
    }

    [Fact]
    public void ReceivePart_SamePartSameRecords_DuplicateAndNothingAdded()
    {
        var session = NewSession();
        session.ReceivePart(Part(1), Now);

        var receipt = session.ReceivePart(Part(1), Now.AddMinutes(1));

        Assert.Equal(PartReceipt.Duplicate, receipt.Value);
        Assert.Single(session.Parts);
        Assert.Equal(Now, session.UpdatedAt);
    }

    [Fact]
    public void ReceivePart_SamePartOtherRecords_Conflict()
    {
        var session = NewSession();
        session.ReceivePart(Part(1), Now);

        var receipt = session.ReceivePart(Part(1, hash: "other"), Now);

        Assert.Equal(ErrorKind.Conflict, receipt.Error!.Kind);
        Assert.Equal("h1", session.Parts[0].ContentHash);
    }

    [Fact]
    public void ReceivePart_SameRecordsSpacedDifferently_Duplicate()
    {
        var session = NewSession();
        session.ReceivePart(Part(1), Now);

        var receipt = session.ReceivePart(Part(1, checksum: "sha256:other-bytes"), Now);

        Assert.Equal(PartReceipt.Duplicate, receipt.Value);
        Assert.Equal("sha256:h1", session.Parts[0].Checksum);
    }

    [Fact]
    public void Expire_OpenSession_ForgetsPartsAndAnyLaterPartStartsAfresh()
    {
        var session = NewSession();
        session.ReceivePart(Part(1), Now);
        session.ReceivePart(Part(2), Now);

        Assert.True(session.Expire(Now.AddHours(1), Now.AddDays(1)).IsSuccess);

        Assert.Equal(SyncStatus.Expired, session.Status);
        Assert.Empty(session.Parts);
        Assert.Equal([1, 2, 3], session.MissingParts());

        var later = Now.AddDays(2);
        var receipt = session.ReceivePart(Part(2, user: "someone-else", total: 4), later);

        Assert.Equal(PartReceipt.Stored, receipt.Value);
        Assert.Equal(SyncStatus.Open, session.Status);
        Assert.Equal(("someone-else", 4), (session.UserName, session.TotalParts));
        Assert.Equal([1, 3, 4], session.MissingParts());
        Assert.Equal(later, session.CreatedAt);
    }

    [Fact]
    public void ReceivePart_ExpiredSessionOfAnotherDevice_ConflictAndStillExpired()
    {
        var session = NewSession();
        session.Expire(Now.AddHours(1), Now.AddHours(1));

        var receipt = session.ReceivePart(Part(1, device: "d2"), Now.AddHours(1));

        Assert.Equal(ErrorKind.Conflict, receipt.Error!.Kind);
        Assert.Equal(SyncStatus.Expired, session.Status);
    }

    [Fact]
    public void Expire_CompletedSession_Refused()
    {
        var session = SyncSession.Start("s1", "d1", "u", 1, Now);
        session.ReceivePart(Part(1, total: 1), Now);
        session.Complete(new CompletionSummary(1, 10, new Dictionary<string, IReadOnlyDictionary<string, int>>()), Now);

        var refused = session.Expire(Now.AddDays(1), Now.AddDays(1));

        Assert.Equal(ErrorKind.Conflict, refused.Error!.Kind);
        Assert.Equal(SyncStatus.Completed, session.Status);
    }

    [Fact]
    public void Expire_TouchedSinceTheCutoff_RefusedAndStillOpen()
    {
        var session = NewSession();
        session.ReceivePart(Part(1), Now.AddHours(2));

        var refused = session.Expire(Now.AddHours(1), Now.AddHours(3));

        Assert.False(refused.IsSuccess);
        Assert.Equal(SyncStatus.Open, session.Status);
        Assert.Single(session.Parts);
    }

    [Fact]
    public void Abort_OpenSession_ForgetsPartsAndRefusesLaterParts()
    {
        var session = NewSession();
        session.ReceivePart(Part(1), Now);

        Assert.True(session.Abort(Now).IsSuccess);

        Assert.Equal(SyncStatus.Aborted, session.Status);
        Assert.Empty(session.Parts);
        Assert.Equal(ErrorKind.Conflict, session.ReceivePart(Part(2), Now).Error!.Kind);
    }

    [Fact]
    public void Abort_SessionNotOpen_ConflictNamingItsStatus()
    {
        var session = NewSession();
        session.Abort(Now);

        var refused = session.Abort(Now);

        Assert.Equal(ErrorKind.Conflict, refused.Error!.Kind);
        Assert.Equal("Sync s1 is aborted; only an open sync can be aborted", refused.Error!.Message);
    }

    [Theory]
    [InlineData(0, 3, new[] { SyncSession.PartNumberBelowOne })]
    [InlineData(4, 3, new[] { SyncSession.PartNumberAboveTotal })]
    [InlineData(-1, -2, new[] { SyncSession.PartNumberBelowOne, SyncSession.PartNumberAboveTotal })]
    public void PartNumberProblems_OutsideOneToTotal_Named(int partNumber, int totalParts, string[] expected)
    {
        Assert.Equal(expected, SyncSession.PartNumberProblems(partNumber, totalParts));
    }

    [Fact]
    public void ReceivePart_NumberBeyondTotalParts_RefusedAndNothingHeld()
    {
        var session = NewSession();

        var receipt = session.ReceivePart(Part(4), Now);

        Assert.Equal(ErrorKind.Validation, receipt.Error!.Kind);
        Assert.Equal([SyncSession.PartNumberAboveTotal], receipt.Error!.Fields!["part_number"]);
        Assert.Empty(session.Parts);
    }

    [Fact]
    public void PartNumberProblems_WithinRangeOrTotalUnknown_None()
    {
        Assert.Null(SyncSession.PartNumberProblems(3, 3));
        Assert.Null(SyncSession.PartNumberProblems(7, null));
    }

    [Theory]
    [InlineData("d2", "u", 3, "device_id")]
    [InlineData("d1", "someone", 3, "user_name")]
    [InlineData("d1", "u", 4, "total_parts")]
    public void ReceivePart_ContradictsSession_ConflictNamingTheField(string device, string user, int total, string field)
    {
        var session = NewSession();

        var receipt = session.ReceivePart(Part(1, device: device, user: user, total: total), Now);

        Assert.Equal(ErrorKind.Conflict, receipt.Error!.Kind);
        Assert.Equal([field], receipt.Error.Fields!.Keys);
        Assert.Empty(session.Parts);
    }

    [Fact]
    public void ReceivePart_PartOfCompletedSync_AlreadyCompleted()
    {
        var session = SyncSession.Start("s1", "d1", "u", 1, Now);
        session.ReceivePart(Part(1, total: 1), Now);
        session.Complete(new CompletionSummary(1, 10, new Dictionary<string, IReadOnlyDictionary<string, int>>()), Now);

        Assert.Equal(PartReceipt.AlreadyCompleted, session.ReceivePart(Part(1, total: 1), Now).Value);
        Assert.Equal(ErrorKind.Conflict, session.ReceivePart(Part(1, hash: "x", total: 1), Now).Error!.Kind);
    }

    [Fact]
    public void Complete_WithPartsMissing_Throws()
    {
        var session = NewSession();
        session.ReceivePart(Part(1), Now);

        Assert.Throws<InvalidOperationException>(() =>
            session.Complete(new CompletionSummary(1, 1, new Dictionary<string, IReadOnlyDictionary<string, int>>()), Now));
        Assert.Equal(SyncStatus.Open, session.Status);
    }

    [Fact]
    public void Complete_Twice_Throws()
    {
        var session = SyncSession.Start("s1", "d1", "u", 1, Now);
        session.ReceivePart(Part(1, total: 1), Now);
        var summary = new CompletionSummary(1, 10, new Dictionary<string, IReadOnlyDictionary<string, int>>());
        session.Complete(summary, Now);

        Assert.Throws<InvalidOperationException>(() => session.Complete(summary, Now));
        Assert.Equal(SyncStatus.Completed, session.Status);
        Assert.Same(summary, session.Completion);
    }
}
