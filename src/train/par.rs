//! Per-row passes over fixed chunks of rows, on as many threads as rayon has (one without the
//! `parallel` feature). Chunks never depend on the thread count, and anything summed over rows
//! is summed within a chunk in row order and then over chunks in chunk order: a thread count
//! never changes a result.

/// Rows per chunk of the per-row passes.
pub(crate) const ROW_CHUNK: usize = 8192;

/// One chunk of sorted rows with its own part of a per-row array: `out[(r - first) * stride + j]`
/// is slot `j` of row `r` (for `r` in `rows`).
pub(crate) struct Piece<'a, T> {
    pub rows: &'a [u32],
    pub first: usize,
    pub out: &'a mut [T],
}

/// Cuts `out` (`stride` slots per row of the whole data) into disjoint pieces, one per chunk of
/// `rows`; `None` when `rows` are not strictly increasing (then the caller loops over them itself).
pub(crate) fn pieces<'a, T>(
    rows: &'a [u32],
    out: &'a mut [T],
    stride: usize,
) -> Option<Vec<Piece<'a, T>>> {
    if rows.windows(2).any(|w| w[0] >= w[1]) {
        return None;
    }
    if let Some(&last) = rows.last() {
        if (last as usize + 1) * stride > out.len() {
            return None;
        }
    }
    let mut v = Vec::with_capacity(rows.len().div_ceil(ROW_CHUNK));
    let mut rest = out;
    let mut pos = 0usize;
    for chunk in rows.chunks(ROW_CHUNK) {
        let first = chunk[0] as usize;
        let end = *chunk.last().expect("chunks are not empty") as usize + 1;
        let tail = std::mem::take(&mut rest);
        let (_, tail) = tail.split_at_mut((first - pos) * stride);
        let (piece, tail) = tail.split_at_mut((end - first) * stride);
        rest = tail;
        pos = end;
        v.push(Piece {
            rows: chunk,
            first,
            out: piece,
        });
    }
    Some(v)
}

/// `f` of every piece, in piece order (on several threads with the `parallel` feature).
pub(crate) fn map<T: Send, R: Send>(
    pieces: Vec<Piece<'_, T>>,
    f: impl Fn(Piece<'_, T>) -> R + Sync + Send,
) -> Vec<R> {
    #[cfg(feature = "parallel")]
    {
        use rayon::prelude::*;
        if pieces.len() > 1 {
            return pieces.into_par_iter().map(f).collect();
        }
    }
    pieces.into_iter().map(f).collect()
}

/// `f` of every chunk of `rows`, in chunk order (on several threads with `parallel`).
pub(crate) fn map_chunks<R: Send>(rows: &[u32], f: impl Fn(&[u32]) -> R + Sync + Send) -> Vec<R> {
    #[cfg(feature = "parallel")]
    {
        use rayon::prelude::*;
        if rows.len() > ROW_CHUNK {
            return rows.par_chunks(ROW_CHUNK).map(f).collect();
        }
    }
    rows.chunks(ROW_CHUNK).map(f).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pieces_cover_each_row_once_and_refuse_unsorted_rows() {
        let rows: Vec<u32> = (0..40_000).filter(|r| r % 3 != 0).collect();
        let mut out = vec![0u32; 40_000 * 2];
        let ps = pieces(&rows, &mut out, 2).unwrap();
        assert_eq!(ps.len(), rows.len().div_ceil(ROW_CHUNK));
        map(ps, |p| {
            for &r in p.rows {
                p.out[(r as usize - p.first) * 2 + 1] += r + 1;
            }
        });
        for r in 0..40_000u32 {
            assert_eq!(out[r as usize * 2], 0);
            assert_eq!(out[r as usize * 2 + 1], if r % 3 != 0 { r + 1 } else { 0 });
        }
        assert!(pieces(&[3, 2], &mut out, 1).is_none());
        assert!(pieces(&[3, 3], &mut out, 1).is_none());
        assert!(pieces(&[0, 90_000], &mut out, 1).is_none());
        assert!(pieces(&[], &mut out, 1).unwrap().is_empty());
        let sums = map_chunks(&rows, |c| c.len());
        assert_eq!(sums.iter().sum::<usize>(), rows.len());
    }
}
