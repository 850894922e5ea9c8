namespace Odock.Grains.Budgets;

/// <summary>
/// The completed operations a <see cref="ReservationBook"/> remembers so that a repeat gets the first answer: the
/// latest <c>capacity</c> of them, the oldest forgotten first.
/// </summary>
/// <remarks>
/// <para>
/// Why not a dictionary and a queue of keys: a busy book remembers 4,096 completions, and every request's settle
/// looked one up, forgot the oldest and added one. A dictionary's entries (a 56-byte key each, about 350 KB a book)
/// are reached in random order, so in the gateway, where a request's other work evicts them between calls, each of
/// those steps missed the cache: the books' lookups were the largest self time of any managed code on the request
/// path (docs/BENCHMARKS.md, "Twelfth round").
/// </para>
/// <para>
/// Here the entries sit in a ring in completion order, written and forgotten in sequence, and found through a table
/// of 8-byte slots (the key's hash and its place in the ring; linear probing, at most half full). A lookup that finds
/// nothing, the common case, reads one or two neighbouring slots and no entry; an entry is read only when its
/// slot's hash matches. The slots of a full book take 64 KB instead of the entries' 350 KB.
/// </para>
/// <para>
/// A book that completes little stays small: the ring and the table start at a few entries and double up to the
/// bound, so the ring never holds more than <c>capacity</c> entries.
/// </para>
/// </remarks>
internal sealed class CompletionLog
{
    private const int InitialEntries = 4;

    private readonly int _capacity;
    private Entry[] _ring = [];
    private ulong[] _slots = [];

    // Entries written so far, up to the capacity; once it is reached, _next wraps and each write forgets the oldest.
    private int _written;
    private int _next;
    private int _live;

    public CompletionLog(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(capacity, 1 << 28);
        _capacity = capacity;
    }

    /// <summary>How many completions are remembered.</summary>
    public int Count => _live;

    public bool TryGet(in ReservationKey key, out Completion completion)
    {
        var slot = Find(key);
        if (slot < 0)
        {
            completion = default;
            return false;
        }

        completion = _ring[EntryAt(slot)].Completion;
        return true;
    }

    public bool Contains(in ReservationKey key) => Find(key) >= 0;

    /// <summary>Remembers the completion of <paramref name="key"/>, replacing what was remembered for it.</summary>
    public void Remember(in ReservationKey key, Completion completion)
    {
        var found = Find(key);
        if (found >= 0)
        {
            // A replacement keeps its place in the order: it is forgotten when the first completion would have been.
            _ring[EntryAt(found)].Completion = completion;
            return;
        }

        int index;
        if (_written < _capacity)
        {
            if (_written == _ring.Length)
            {
                Grow();
            }

            index = _written++;
        }
        else
        {
            index = _next;
            _next = _next + 1 == _capacity ? 0 : _next + 1;
            ref var oldest = ref _ring[index];
            if (oldest.Live)
            {
                RemoveSlot(FindEntry(oldest.Hash, index));
                _live--;
            }
        }

        _ring[index] = new Entry(key, completion);
        Insert(key.Hash, index);
        _live++;
    }

    /// <summary>Forgets <paramref name="key"/>'s completion, if remembered; its place in the ring stays until reused.</summary>
    public bool Forget(in ReservationKey key)
    {
        var slot = Find(key);
        if (slot < 0)
        {
            return false;
        }

        _ring[EntryAt(slot)].Live = false;
        RemoveSlot(slot);
        _live--;
        return true;
    }

    private int EntryAt(int slot) => (int)(uint)_slots[slot] - 1;

    private static ulong SlotOf(int hash, int index) => ((ulong)(uint)hash << 32) | (uint)(index + 1);

    private static int HashOf(ulong slot) => (int)(slot >> 32);

    /// <summary>The slot that holds <paramref name="key"/>, or -1.</summary>
    private int Find(in ReservationKey key)
    {
        if (_live == 0)
        {
            return -1;
        }

        var mask = _slots.Length - 1;
        var hash = key.Hash;
        for (var i = hash & mask; ; i = (i + 1) & mask)
        {
            var slot = _slots[i];
            if (slot == 0)
            {
                return -1;
            }

            if (HashOf(slot) == hash && _ring[(int)(uint)slot - 1].Key.Equals(key))
            {
                return i;
            }
        }
    }

    /// <summary>The slot that points at ring entry <paramref name="index"/>, which is remembered.</summary>
    private int FindEntry(int hash, int index)
    {
        var mask = _slots.Length - 1;
        var wanted = SlotOf(hash, index);
        var i = hash & mask;
        while (_slots[i] != wanted)
        {
            i = (i + 1) & mask;
        }

        return i;
    }

    private void Insert(int hash, int index)
    {
        var mask = _slots.Length - 1;
        var i = hash & mask;
        while (_slots[i] != 0)
        {
            i = (i + 1) & mask;
        }

        _slots[i] = SlotOf(hash, index);
    }

    /// <summary>
    /// Empties slot <paramref name="hole"/> and moves back the slots after it that could not be found past an empty
    /// one (deletion without tombstones, so a table that is always being written never fills with them).
    /// </summary>
    private void RemoveSlot(int hole)
    {
        var mask = _slots.Length - 1;
        var j = hole;
        while (true)
        {
            j = (j + 1) & mask;
            var slot = _slots[j];
            if (slot == 0)
            {
                break;
            }

            // The slot at j stays if its home lies cyclically in (hole, j]: a lookup from there reaches it without
            // passing the hole. Otherwise it moves into the hole, and the hole moves to j.
            var home = HashOf(slot) & mask;
            var stays = hole <= j ? hole < home && home <= j : hole < home || home <= j;
            if (!stays)
            {
                _slots[hole] = slot;
                hole = j;
            }
        }

        _slots[hole] = 0;
    }

    /// <summary>Doubles the ring (up to the capacity) and keeps the table at most half full.</summary>
    private void Grow()
    {
        var entries = (int)Math.Min(_capacity, Math.Max(InitialEntries, 2L * _ring.Length));
        Array.Resize(ref _ring, entries);

        var slots = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)entries * 2u);
        if (slots <= _slots.Length)
        {
            return;
        }

        // Until the ring first fills, entries keep their index when it grows, so every slot is rebuilt as it was.
        _slots = new ulong[slots];
        for (var index = 0; index < _written; index++)
        {
            if (_ring[index].Live)
            {
                Insert(_ring[index].Key.Hash, index);
            }
        }
    }

    private struct Entry(ReservationKey key, Completion completion)
    {
        public readonly ReservationKey Key = key;
        public Completion Completion = completion;
        public bool Live = true;

        public readonly int Hash => Key.Hash;
    }
}

/// <summary>What a repeat needs of a completed operation; the remaining headroom is the book's at the repeat.</summary>
internal readonly record struct Completion(ReservationOutcome Outcome, decimal Amount)
{
    public ReservationResult Repeated(decimal remaining) => new(Outcome, Amount, remaining, Repeated: true);
}
