;; WebAssembly SIMD (f32x4) versions of the ops that take ~95% of a forward pass, with the
;; ops.ts names: `matmul` (W (d, n) @ x), `matmul_batched` (X (T, n) @ W^T), `attn_scores`,
;; `softmax`, `attn_mix` (and `attn_mix_acc`, its accumulate-only half, for a paged KV cache) and
;; `silu`. Every pointer is a byte offset into the imported memory.
;;
;; Weight layout ("rows4", written by packRows4 in simd-kernels.ts once per model): the rows go in
;; blocks of 4. A block holds, for each group of 4 columns j..j+3 (j < n4 = n - n%4), the 4 rows'
;; values r0[j..j+3] r1[j..j+3] r2[j..j+3] r3[j..j+3]; then each row's n%4 tail columns. The last
;; d%4 rows follow unchanged (row-major). One block is then a single forward stream of 16-byte
;; loads at constant offsets from one pointer, instead of four streams: ~1.5x faster here.
;;
;; The horizontal sum is written out at each use (no call when a row has no tail columns):
;; this V8 does not inline WebAssembly calls, and a call per output row costs several percent.
;;
;; Summation order (identical in both functions, so a prompt pass equals decode bit for bit):
;; for one output, lane k of a float32x4 accumulator sums w[j]*x[j] for j = k (mod 4), j < n4,
;; in increasing j; the lanes are then added as (l0 + l1) + (l2 + l3); then the tail columns one
;; by one. All float32 like run.c; it differs from ops.ts's float64 sums by rounding (tested).
;;
;; Regenerate the committed module (simd-kernels.wasm.ts) with `npx tsx scripts/build-cpu-wasm.ts`;
;; a unit test fails when the two disagree.
(module
  (import "env" "memory" (memory 1))

  ;; (l0 + l1) + (l2 + l3)
  (func $hsum (param $v v128) (result f32)
    (f32.add
      (f32.add (f32x4.extract_lane 0 (local.get $v)) (f32x4.extract_lane 1 (local.get $v)))
      (f32.add (f32x4.extract_lane 2 (local.get $v)) (f32x4.extract_lane 3 (local.get $v)))))

  ;; s + w[k]*x[k] for k < bytes/4, one at a time: a row's tail columns.
  (func $tail (param $s f32) (param $w i32) (param $x i32) (param $bytes i32) (result f32)
    (local $k i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $k) (local.get $bytes)))
        (local.set $s
          (f32.add (local.get $s)
            (f32.mul
              (f32.load (i32.add (local.get $w) (local.get $k)))
              (f32.load (i32.add (local.get $x) (local.get $k))))))
        (local.set $k (i32.add (local.get $k) (i32.const 4)))
        (br $next)))
    (local.get $s))

  ;; One output from a plain (row-major) row of nb = 4n bytes, in the order above.
  (func $dot (param $w i32) (param $x i32) (param $nb i32) (result f32)
    (local $acc v128) (local $j i32) (local $n4b i32)
    (local.set $n4b (i32.and (local.get $nb) (i32.const -16)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $j) (local.get $n4b)))
        (local.set $acc
          (f32x4.add (local.get $acc)
            (f32x4.mul
              (v128.load align=4 (i32.add (local.get $w) (local.get $j)))
              (v128.load align=4 (i32.add (local.get $x) (local.get $j))))))
        (local.set $j (i32.add (local.get $j) (i32.const 16)))
        (br $next)))
    (call $tail (call $hsum (local.get $acc))
      (i32.add (local.get $w) (local.get $n4b)) (i32.add (local.get $x) (local.get $n4b))
      (i32.sub (local.get $nb) (local.get $n4b))))

  ;; out[i] = sum_j W[i, j] x[j], i < d; W in the rows4 layout. Two column groups per step.
  (func $matmul (export "matmul")
    (param $out i32) (param $x i32) (param $w i32) (param $n i32) (param $d i32)
    (local $nb i32) (local $n4b i32) (local $tb i32) (local $x8end i32) (local $i i32) (local $d4 i32)
    (local $p i32) (local $xp i32) (local $xv v128)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128)
    (local.set $nb (i32.shl (local.get $n) (i32.const 2)))
    (local.set $n4b (i32.and (local.get $nb) (i32.const -16)))
    (local.set $tb (i32.sub (local.get $nb) (local.get $n4b)))
    (local.set $x8end (i32.add (local.get $x) (i32.and (local.get $nb) (i32.const -32))))
    (local.set $d4 (i32.and (local.get $d) (i32.const -4)))
    (local.set $p (local.get $w))
    (block $blocks_done
      (loop $blocks
        (br_if $blocks_done (i32.ge_s (local.get $i) (local.get $d4)))
        (local.set $a0 (v128.const i32x4 0 0 0 0))
        (local.set $a1 (v128.const i32x4 0 0 0 0))
        (local.set $a2 (v128.const i32x4 0 0 0 0))
        (local.set $a3 (v128.const i32x4 0 0 0 0))
        (local.set $xp (local.get $x))
        (block $pairs_done
          (loop $pairs
            (br_if $pairs_done (i32.ge_u (local.get $xp) (local.get $x8end)))
            (local.set $xv (v128.load align=4 (local.get $xp)))
            (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (local.get $xv) (v128.load offset=0 align=4 (local.get $p)))))
            (local.set $a1 (f32x4.add (local.get $a1) (f32x4.mul (local.get $xv) (v128.load offset=16 align=4 (local.get $p)))))
            (local.set $a2 (f32x4.add (local.get $a2) (f32x4.mul (local.get $xv) (v128.load offset=32 align=4 (local.get $p)))))
            (local.set $a3 (f32x4.add (local.get $a3) (f32x4.mul (local.get $xv) (v128.load offset=48 align=4 (local.get $p)))))
            (local.set $xv (v128.load offset=16 align=4 (local.get $xp)))
            (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (local.get $xv) (v128.load offset=64 align=4 (local.get $p)))))
            (local.set $a1 (f32x4.add (local.get $a1) (f32x4.mul (local.get $xv) (v128.load offset=80 align=4 (local.get $p)))))
            (local.set $a2 (f32x4.add (local.get $a2) (f32x4.mul (local.get $xv) (v128.load offset=96 align=4 (local.get $p)))))
            (local.set $a3 (f32x4.add (local.get $a3) (f32x4.mul (local.get $xv) (v128.load offset=112 align=4 (local.get $p)))))
            (local.set $p (i32.add (local.get $p) (i32.const 128)))
            (local.set $xp (i32.add (local.get $xp) (i32.const 32)))
            (br $pairs)))
        ;; an odd last column group
        (if (i32.lt_u (local.get $xp) (i32.add (local.get $x) (local.get $n4b)))
          (then
            (local.set $xv (v128.load align=4 (local.get $xp)))
            (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (local.get $xv) (v128.load offset=0 align=4 (local.get $p)))))
            (local.set $a1 (f32x4.add (local.get $a1) (f32x4.mul (local.get $xv) (v128.load offset=16 align=4 (local.get $p)))))
            (local.set $a2 (f32x4.add (local.get $a2) (f32x4.mul (local.get $xv) (v128.load offset=32 align=4 (local.get $p)))))
            (local.set $a3 (f32x4.add (local.get $a3) (f32x4.mul (local.get $xv) (v128.load offset=48 align=4 (local.get $p)))))
            (local.set $p (i32.add (local.get $p) (i32.const 64)))))
        ;; $p is at the block's tail columns: row r's are at $p + r*tb
        (f32.store offset=0 (i32.add (local.get $out) (i32.shl (local.get $i) (i32.const 2)))
          (if (result f32) (i32.eqz (local.get $tb))
            (then (f32.add (f32.add (f32x4.extract_lane 0 (local.get $a0)) (f32x4.extract_lane 1 (local.get $a0)))
              (f32.add (f32x4.extract_lane 2 (local.get $a0)) (f32x4.extract_lane 3 (local.get $a0)))))
            (else (call $tail (call $hsum (local.get $a0)) (i32.add (local.get $p) (i32.mul (i32.const 0) (local.get $tb)))
              (i32.add (local.get $x) (local.get $n4b)) (local.get $tb)))))
        (f32.store offset=4 (i32.add (local.get $out) (i32.shl (local.get $i) (i32.const 2)))
          (if (result f32) (i32.eqz (local.get $tb))
            (then (f32.add (f32.add (f32x4.extract_lane 0 (local.get $a1)) (f32x4.extract_lane 1 (local.get $a1)))
              (f32.add (f32x4.extract_lane 2 (local.get $a1)) (f32x4.extract_lane 3 (local.get $a1)))))
            (else (call $tail (call $hsum (local.get $a1)) (i32.add (local.get $p) (i32.mul (i32.const 1) (local.get $tb)))
              (i32.add (local.get $x) (local.get $n4b)) (local.get $tb)))))
        (f32.store offset=8 (i32.add (local.get $out) (i32.shl (local.get $i) (i32.const 2)))
          (if (result f32) (i32.eqz (local.get $tb))
            (then (f32.add (f32.add (f32x4.extract_lane 0 (local.get $a2)) (f32x4.extract_lane 1 (local.get $a2)))
              (f32.add (f32x4.extract_lane 2 (local.get $a2)) (f32x4.extract_lane 3 (local.get $a2)))))
            (else (call $tail (call $hsum (local.get $a2)) (i32.add (local.get $p) (i32.mul (i32.const 2) (local.get $tb)))
              (i32.add (local.get $x) (local.get $n4b)) (local.get $tb)))))
        (f32.store offset=12 (i32.add (local.get $out) (i32.shl (local.get $i) (i32.const 2)))
          (if (result f32) (i32.eqz (local.get $tb))
            (then (f32.add (f32.add (f32x4.extract_lane 0 (local.get $a3)) (f32x4.extract_lane 1 (local.get $a3)))
              (f32.add (f32x4.extract_lane 2 (local.get $a3)) (f32x4.extract_lane 3 (local.get $a3)))))
            (else (call $tail (call $hsum (local.get $a3)) (i32.add (local.get $p) (i32.mul (i32.const 3) (local.get $tb)))
              (i32.add (local.get $x) (local.get $n4b)) (local.get $tb)))))
        (local.set $p (i32.add (local.get $p) (i32.shl (local.get $tb) (i32.const 2))))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $blocks)))
    ;; the last d % 4 rows are plain rows
    (block $rows_done
      (loop $rows
        (br_if $rows_done (i32.ge_s (local.get $i) (local.get $d)))
        (f32.store (i32.add (local.get $out) (i32.shl (local.get $i) (i32.const 2)))
          (call $dot (local.get $p) (local.get $x) (local.get $nb)))
        (local.set $p (i32.add (local.get $p) (local.get $nb)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $rows))))

  ;; out (T, d) = X (T, n) @ W^T, W in the rows4 layout. Input rows in pairs: each loaded weight
  ;; vector serves two inputs and each loaded input vector four rows. An odd last input row goes
  ;; through $matmul. Every output is summed exactly as in $matmul.
  (func (export "matmul_batched")
    (param $out i32) (param $x i32) (param $w i32) (param $T i32) (param $n i32) (param $d i32)
    (local $nb i32) (local $n4b i32) (local $tb i32) (local $db i32) (local $d4 i32)
    (local $t i32) (local $i i32) (local $j i32) (local $p i32)
    (local $xa i32) (local $xb i32) (local $oa i32) (local $ob i32) (local $va v128) (local $vb v128)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128)
    (local $b0 v128) (local $b1 v128) (local $b2 v128) (local $b3 v128)
    (local.set $nb (i32.shl (local.get $n) (i32.const 2)))
    (local.set $n4b (i32.and (local.get $nb) (i32.const -16)))
    (local.set $tb (i32.sub (local.get $nb) (local.get $n4b)))
    (local.set $db (i32.shl (local.get $d) (i32.const 2)))
    (local.set $d4 (i32.and (local.get $d) (i32.const -4)))
    (block $tpairs_done
      (loop $tpairs
        (br_if $tpairs_done (i32.gt_s (i32.add (local.get $t) (i32.const 2)) (local.get $T)))
        (local.set $xa (i32.add (local.get $x) (i32.mul (local.get $t) (local.get $nb))))
        (local.set $xb (i32.add (local.get $xa) (local.get $nb)))
        (local.set $oa (i32.add (local.get $out) (i32.mul (local.get $t) (local.get $db))))
        (local.set $ob (i32.add (local.get $oa) (local.get $db)))
        (local.set $p (local.get $w))
        (local.set $i (i32.const 0))
        (block $blocks_done
          (loop $blocks
            (br_if $blocks_done (i32.ge_s (local.get $i) (local.get $d4)))
            (local.set $a0 (v128.const i32x4 0 0 0 0))
            (local.set $a1 (v128.const i32x4 0 0 0 0))
            (local.set $a2 (v128.const i32x4 0 0 0 0))
            (local.set $a3 (v128.const i32x4 0 0 0 0))
            (local.set $b0 (v128.const i32x4 0 0 0 0))
            (local.set $b1 (v128.const i32x4 0 0 0 0))
            (local.set $b2 (v128.const i32x4 0 0 0 0))
            (local.set $b3 (v128.const i32x4 0 0 0 0))
            (local.set $j (i32.const 0))
            (block $groups_done
              (loop $groups
                (br_if $groups_done (i32.ge_u (local.get $j) (local.get $n4b)))
                (local.set $va (v128.load align=4 (i32.add (local.get $xa) (local.get $j))))
                (local.set $vb (v128.load align=4 (i32.add (local.get $xb) (local.get $j))))
                (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (local.get $va) (v128.load offset=0 align=4 (local.get $p)))))
                (local.set $b0 (f32x4.add (local.get $b0) (f32x4.mul (local.get $vb) (v128.load offset=0 align=4 (local.get $p)))))
                (local.set $a1 (f32x4.add (local.get $a1) (f32x4.mul (local.get $va) (v128.load offset=16 align=4 (local.get $p)))))
                (local.set $b1 (f32x4.add (local.get $b1) (f32x4.mul (local.get $vb) (v128.load offset=16 align=4 (local.get $p)))))
                (local.set $a2 (f32x4.add (local.get $a2) (f32x4.mul (local.get $va) (v128.load offset=32 align=4 (local.get $p)))))
                (local.set $b2 (f32x4.add (local.get $b2) (f32x4.mul (local.get $vb) (v128.load offset=32 align=4 (local.get $p)))))
                (local.set $a3 (f32x4.add (local.get $a3) (f32x4.mul (local.get $va) (v128.load offset=48 align=4 (local.get $p)))))
                (local.set $b3 (f32x4.add (local.get $b3) (f32x4.mul (local.get $vb) (v128.load offset=48 align=4 (local.get $p)))))
                (local.set $p (i32.add (local.get $p) (i32.const 64)))
                (local.set $j (i32.add (local.get $j) (i32.const 16)))
                (br $groups)))
            (f32.store offset=0 (i32.add (local.get $oa) (i32.shl (local.get $i) (i32.const 2)))
              (if (result f32) (i32.eqz (local.get $tb))
                (then (f32.add (f32.add (f32x4.extract_lane 0 (local.get $a0)) (f32x4.extract_lane 1 (local.get $a0)))
                  (f32.add (f32x4.extract_lane 2 (local.get $a0)) (f32x4.extract_lane 3 (local.get $a0)))))
                (else (call $tail (call $hsum (local.get $a0)) (i32.add (local.get $p) (i32.mul (i32.const 0) (local.get $tb)))
                  (i32.add (local.get $xa) (local.get $n4b)) (local.get $tb)))))
            (f32.store offset=4 (i32.add (local.get $oa) (i32.shl (local.get $i) (i32.const 2)))
              (if (result f32) (i32.eqz (local.get $tb))
                (then (f32.add (f32.add (f32x4.extract_lane 0 (local.get $a1)) (f32x4.extract_lane 1 (local.get $a1)))
                  (f32.add (f32x4.extract_lane 2 (local.get $a1)) (f32x4.extract_lane 3 (local.get $a1)))))
                (else (call $tail (call $hsum (local.get $a1)) (i32.add (local.get $p) (i32.mul (i32.const 1) (local.get $tb)))
                  (i32.add (local.get $xa) (local.get $n4b)) (local.get $tb)))))
            (f32.store offset=8 (i32.add (local.get $oa) (i32.shl (local.get $i) (i32.const 2)))
              (if (result f32) (i32.eqz (local.get $tb))
                (then (f32.add (f32.add (f32x4.extract_lane 0 (local.get $a2)) (f32x4.extract_lane 1 (local.get $a2)))
                  (f32.add (f32x4.extract_lane 2 (local.get $a2)) (f32x4.extract_lane 3 (local.get $a2)))))
                (else (call $tail (call $hsum (local.get $a2)) (i32.add (local.get $p) (i32.mul (i32.const 2) (local.get $tb)))
                  (i32.add (local.get $xa) (local.get $n4b)) (local.get $tb)))))
            (f32.store offset=12 (i32.add (local.get $oa) (i32.shl (local.get $i) (i32.const 2)))
              (if (result f32) (i32.eqz (local.get $tb))
                (then (f32.add (f32.add (f32x4.extract_lane 0 (local.get $a3)) (f32x4.extract_lane 1 (local.get $a3)))
                  (f32.add (f32x4.extract_lane 2 (local.get $a3)) (f32x4.extract_lane 3 (local.get $a3)))))
                (else (call $tail (call $hsum (local.get $a3)) (i32.add (local.get $p) (i32.mul (i32.const 3) (local.get $tb)))
                  (i32.add (local.get $xa) (local.get $n4b)) (local.get $tb)))))
            (f32.store offset=0 (i32.add (local.get $ob) (i32.shl (local.get $i) (i32.const 2)))
              (if (result f32) (i32.eqz (local.get $tb))
                (then (f32.add (f32.add (f32x4.extract_lane 0 (local.get $b0)) (f32x4.extract_lane 1 (local.get $b0)))
                  (f32.add (f32x4.extract_lane 2 (local.get $b0)) (f32x4.extract_lane 3 (local.get $b0)))))
                (else (call $tail (call $hsum (local.get $b0)) (i32.add (local.get $p) (i32.mul (i32.const 0) (local.get $tb)))
                  (i32.add (local.get $xb) (local.get $n4b)) (local.get $tb)))))
            (f32.store offset=4 (i32.add (local.get $ob) (i32.shl (local.get $i) (i32.const 2)))
              (if (result f32) (i32.eqz (local.get $tb))
                (then (f32.add (f32.add (f32x4.extract_lane 0 (local.get $b1)) (f32x4.extract_lane 1 (local.get $b1)))
                  (f32.add (f32x4.extract_lane 2 (local.get $b1)) (f32x4.extract_lane 3 (local.get $b1)))))
                (else (call $tail (call $hsum (local.get $b1)) (i32.add (local.get $p) (i32.mul (i32.const 1) (local.get $tb)))
                  (i32.add (local.get $xb) (local.get $n4b)) (local.get $tb)))))
            (f32.store offset=8 (i32.add (local.get $ob) (i32.shl (local.get $i) (i32.const 2)))
              (if (result f32) (i32.eqz (local.get $tb))
                (then (f32.add (f32.add (f32x4.extract_lane 0 (local.get $b2)) (f32x4.extract_lane 1 (local.get $b2)))
                  (f32.add (f32x4.extract_lane 2 (local.get $b2)) (f32x4.extract_lane 3 (local.get $b2)))))
                (else (call $tail (call $hsum (local.get $b2)) (i32.add (local.get $p) (i32.mul (i32.const 2) (local.get $tb)))
                  (i32.add (local.get $xb) (local.get $n4b)) (local.get $tb)))))
            (f32.store offset=12 (i32.add (local.get $ob) (i32.shl (local.get $i) (i32.const 2)))
              (if (result f32) (i32.eqz (local.get $tb))
                (then (f32.add (f32.add (f32x4.extract_lane 0 (local.get $b3)) (f32x4.extract_lane 1 (local.get $b3)))
                  (f32.add (f32x4.extract_lane 2 (local.get $b3)) (f32x4.extract_lane 3 (local.get $b3)))))
                (else (call $tail (call $hsum (local.get $b3)) (i32.add (local.get $p) (i32.mul (i32.const 3) (local.get $tb)))
                  (i32.add (local.get $xb) (local.get $n4b)) (local.get $tb)))))
            (local.set $p (i32.add (local.get $p) (i32.shl (local.get $tb) (i32.const 2))))
            (local.set $i (i32.add (local.get $i) (i32.const 4)))
            (br $blocks)))
        ;; the last d % 4 rows are plain rows
        (block $rows_done
          (loop $rows
            (br_if $rows_done (i32.ge_s (local.get $i) (local.get $d)))
            (f32.store (i32.add (local.get $oa) (i32.shl (local.get $i) (i32.const 2)))
              (call $dot (local.get $p) (local.get $xa) (local.get $nb)))
            (f32.store (i32.add (local.get $ob) (i32.shl (local.get $i) (i32.const 2)))
              (call $dot (local.get $p) (local.get $xb) (local.get $nb)))
            (local.set $p (i32.add (local.get $p) (local.get $nb)))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $rows)))
        (local.set $t (i32.add (local.get $t) (i32.const 2)))
        (br $tpairs)))
    ;; an odd last input row
    (if (i32.lt_s (local.get $t) (local.get $T))
      (then
        (call $matmul
          (i32.add (local.get $out) (i32.mul (local.get $t) (local.get $db)))
          (i32.add (local.get $x) (i32.mul (local.get $t) (local.get $nb)))
          (local.get $w) (local.get $n) (local.get $d)))))

  ;; Attention scores of one query head: att[t] = (q . k_t) / scale, t < nPos, with k_t at
  ;; kc + t*strideB (the KV cache row of position t, this head's columns). The same sum as $dot,
  ;; written out here because a call per position costs as much as a short head's dot product.
  (func (export "attn_scores")
    (param $att i32) (param $q i32) (param $kc i32) (param $strideB i32) (param $hs i32)
    (param $nPos i32) (param $scale f32)
    (local $t i32) (local $j i32) (local $hsb i32) (local $h4b i32) (local $acc v128) (local $s f32)
    (local.set $hsb (i32.shl (local.get $hs) (i32.const 2)))
    (local.set $h4b (i32.and (local.get $hsb) (i32.const -16)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_s (local.get $t) (local.get $nPos)))
        (local.set $acc (v128.const i32x4 0 0 0 0))
        (local.set $j (i32.const 0))
        (block $dot_done
          (loop $dot
            (br_if $dot_done (i32.ge_u (local.get $j) (local.get $h4b)))
            (local.set $acc
              (f32x4.add (local.get $acc)
                (f32x4.mul
                  (v128.load align=4 (i32.add (local.get $kc) (local.get $j)))
                  (v128.load align=4 (i32.add (local.get $q) (local.get $j))))))
            (local.set $j (i32.add (local.get $j) (i32.const 16)))
            (br $dot)))
        ;; (l0 + l1) + (l2 + l3), as $hsum
        (local.set $s
          (f32.add
            (f32.add (f32x4.extract_lane 0 (local.get $acc)) (f32x4.extract_lane 1 (local.get $acc)))
            (f32.add (f32x4.extract_lane 2 (local.get $acc)) (f32x4.extract_lane 3 (local.get $acc)))))
        (if (i32.ne (local.get $h4b) (local.get $hsb))
          (then
            (local.set $s (call $tail (local.get $s)
              (i32.add (local.get $kc) (local.get $h4b)) (i32.add (local.get $q) (local.get $h4b))
              (i32.sub (local.get $hsb) (local.get $h4b))))))
        (f32.store (i32.add (local.get $att) (i32.shl (local.get $t) (i32.const 2)))
          (f32.div (local.get $s) (local.get $scale)))
        (local.set $kc (i32.add (local.get $kc) (local.get $strideB)))
        (local.set $t (i32.add (local.get $t) (i32.const 1)))
        (br $next))))

  ;; One head's attention output: out[i] = sum_t att[t] * v_t[i], i < hs, v_t at vc + t*strideB.
  ;; float32, t in increasing order for every i: exactly run.c's `xb[i] += a * v[i]` loop.
  (func (export "attn_mix")
    (param $out i32) (param $att i32) (param $vc i32) (param $strideB i32) (param $hs i32)
    (param $nPos i32)
    (local $i i32) (local $hsb i32)
    (local.set $hsb (i32.shl (local.get $hs) (i32.const 2)))
    (block $zeroed
      (loop $zero
        (br_if $zeroed (i32.ge_u (local.get $i) (local.get $hsb)))
        (f32.store (i32.add (local.get $out) (local.get $i)) (f32.const 0))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $zero)))
    (call $mix_acc (local.get $out) (local.get $att) (local.get $vc) (local.get $strideB)
      (local.get $hs) (local.get $nPos)))

  ;; attn_mix without the zeroing: out[i] += sum_t att[t] * v_t[i], in the same order. A paged KV
  ;; cache calls it once per block (positions in increasing order), which adds up exactly the
  ;; float32 sums attn_mix makes over a contiguous cache.
  (func $mix_acc (export "attn_mix_acc")
    (param $out i32) (param $att i32) (param $vc i32) (param $strideB i32) (param $hs i32)
    (param $nPos i32)
    (local $t i32) (local $i i32) (local $hsb i32) (local $h4b i32) (local $a f32) (local $av v128)
    (local.set $hsb (i32.shl (local.get $hs) (i32.const 2)))
    (local.set $h4b (i32.and (local.get $hsb) (i32.const -16)))
    (block $done
      (loop $positions
        (br_if $done (i32.ge_s (local.get $t) (local.get $nPos)))
        (local.set $a (f32.load (i32.add (local.get $att) (i32.shl (local.get $t) (i32.const 2)))))
        (local.set $av (f32x4.splat (local.get $a)))
        (local.set $i (i32.const 0))
        (block $vec_done
          (loop $vec
            (br_if $vec_done (i32.ge_u (local.get $i) (local.get $h4b)))
            (v128.store align=4 (i32.add (local.get $out) (local.get $i))
              (f32x4.add
                (v128.load align=4 (i32.add (local.get $out) (local.get $i)))
                (f32x4.mul (local.get $av) (v128.load align=4 (i32.add (local.get $vc) (local.get $i))))))
            (local.set $i (i32.add (local.get $i) (i32.const 16)))
            (br $vec)))
        (block $scalar_done
          (loop $scalar
            (br_if $scalar_done (i32.ge_u (local.get $i) (local.get $hsb)))
            (f32.store (i32.add (local.get $out) (local.get $i))
              (f32.add
                (f32.load (i32.add (local.get $out) (local.get $i)))
                (f32.mul (local.get $a) (f32.load (i32.add (local.get $vc) (local.get $i))))))
            (local.set $i (i32.add (local.get $i) (i32.const 4)))
            (br $scalar)))
        (local.set $vc (i32.add (local.get $vc) (local.get $strideB)))
        (local.set $t (i32.add (local.get $t) (i32.const 1)))
        (br $positions))))

  ;; e^x in 4 lanes (Cephes' expf method): x = k ln2 + r with |r| <= ln2/2 (ln2 split in two
  ;; parts so r is exact enough in float32), e^r by a degree-7 polynomial, times 2^k built in the
  ;; exponent bits. x is clamped to [-87.3, 88]: below, run.c's expf would give a subnormal
  ;; (< 1.2e-38) where this gives 2^-126. Relative error below 2e-7 (about 2 float32 ulps; tested).
  (func $exp4 (param $x v128) (result v128)
    (local $k v128) (local $r v128) (local $p v128)
    (local.set $x (f32x4.min (f32x4.max (local.get $x) (v128.const f32x4 -87.3 -87.3 -87.3 -87.3))
      (v128.const f32x4 88 88 88 88)))
    (local.set $k (f32x4.nearest (f32x4.mul (local.get $x)
      (v128.const f32x4 1.44269504088896341 1.44269504088896341 1.44269504088896341 1.44269504088896341))))
    (local.set $r (f32x4.sub (local.get $x)
      (f32x4.mul (local.get $k) (v128.const f32x4 0.693359375 0.693359375 0.693359375 0.693359375))))
    (local.set $r (f32x4.sub (local.get $r)
      (f32x4.mul (local.get $k) (v128.const f32x4 -2.12194440e-4 -2.12194440e-4 -2.12194440e-4 -2.12194440e-4))))
    (local.set $p (v128.const f32x4 1.9875691500e-4 1.9875691500e-4 1.9875691500e-4 1.9875691500e-4))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r))
      (v128.const f32x4 1.3981999507e-3 1.3981999507e-3 1.3981999507e-3 1.3981999507e-3)))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r))
      (v128.const f32x4 8.3334519073e-3 8.3334519073e-3 8.3334519073e-3 8.3334519073e-3)))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r))
      (v128.const f32x4 4.1665795894e-2 4.1665795894e-2 4.1665795894e-2 4.1665795894e-2)))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r))
      (v128.const f32x4 1.6666665459e-1 1.6666665459e-1 1.6666665459e-1 1.6666665459e-1)))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r))
      (v128.const f32x4 5.0000001201e-1 5.0000001201e-1 5.0000001201e-1 5.0000001201e-1)))
    ;; e^r = 1 + r + r^2 p(r)
    (local.set $p (f32x4.add
      (f32x4.add (f32x4.mul (f32x4.mul (local.get $p) (local.get $r)) (local.get $r)) (local.get $r))
      (v128.const f32x4 1 1 1 1)))
    ;; times 2^k: k + 127 in the exponent field
    (f32x4.mul (local.get $p)
      (i32x4.shl
        (i32x4.add (i32x4.trunc_sat_f32x4_s (local.get $k)) (v128.const i32x4 127 127 127 127))
        (i32.const 23))))

  ;; x[i] = e^x[i] for i < n (for tests of $exp4).
  (func (export "exp_inplace") (param $x i32) (param $n i32)
    (local $end i32)
    (local.set $end (i32.add (local.get $x) (i32.shl (local.get $n) (i32.const 2))))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $x) (local.get $end)))
        (f32.store (local.get $x)
          (f32x4.extract_lane 0 (call $exp4 (f32x4.splat (f32.load (local.get $x))))))
        (local.set $x (i32.add (local.get $x) (i32.const 4)))
        (br $next))))

  ;; In-place softmax of x[0..n): max-subtracted (run.c: a value becomes the max only if it is
  ;; greater, so NaN never does), e^(x - max), divided by the sum (lanes summed, then the tail).
  (func (export "softmax") (param $x i32) (param $n i32)
    (local $n4end i32) (local $end i32) (local $p i32) (local $max f32) (local $v f32)
    (local $mv v128) (local $e v128) (local $sv v128) (local $sum f32)
    (local.set $end (i32.add (local.get $x) (i32.shl (local.get $n) (i32.const 2))))
    (local.set $n4end (i32.add (local.get $x) (i32.and (i32.shl (local.get $n) (i32.const 2)) (i32.const -16))))
    ;; max
    (local.set $max (f32.load (local.get $x)))
    (local.set $p (local.get $x))
    (block $max_done
      (loop $max_next
        (br_if $max_done (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $v (f32.load (local.get $p)))
        (if (f32.gt (local.get $v) (local.get $max)) (then (local.set $max (local.get $v))))
        (local.set $p (i32.add (local.get $p) (i32.const 4)))
        (br $max_next)))
    (local.set $mv (f32x4.splat (local.get $max)))
    ;; exp and sum
    (local.set $p (local.get $x))
    (block $exp_done
      (loop $exp_next
        (br_if $exp_done (i32.ge_u (local.get $p) (local.get $n4end)))
        (local.set $e (call $exp4 (f32x4.sub (v128.load align=4 (local.get $p)) (local.get $mv))))
        (v128.store align=4 (local.get $p) (local.get $e))
        (local.set $sv (f32x4.add (local.get $sv) (local.get $e)))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (br $exp_next)))
    (local.set $sum (call $hsum (local.get $sv)))
    (block $tail_done
      (loop $tail_next
        (br_if $tail_done (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $v (f32x4.extract_lane 0
          (call $exp4 (f32x4.splat (f32.sub (f32.load (local.get $p)) (local.get $max))))))
        (f32.store (local.get $p) (local.get $v))
        (local.set $sum (f32.add (local.get $sum) (local.get $v)))
        (local.set $p (i32.add (local.get $p) (i32.const 4)))
        (br $tail_next)))
    ;; divide
    (local.set $mv (f32x4.splat (local.get $sum)))
    (local.set $p (local.get $x))
    (block $div_done
      (loop $div_next
        (br_if $div_done (i32.ge_u (local.get $p) (local.get $n4end)))
        (v128.store align=4 (local.get $p) (f32x4.div (v128.load align=4 (local.get $p)) (local.get $mv)))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (br $div_next)))
    (block $divt_done
      (loop $divt_next
        (br_if $divt_done (i32.ge_u (local.get $p) (local.get $end)))
        (f32.store (local.get $p) (f32.div (f32.load (local.get $p)) (local.get $sum)))
        (local.set $p (i32.add (local.get $p) (i32.const 4)))
        (br $divt_next))))

  ;; SiLU in place: x / (1 + e^-x), for i < n.
  (func (export "silu") (param $x i32) (param $n i32)
    (local $n4end i32) (local $end i32) (local $v v128)
    (local.set $end (i32.add (local.get $x) (i32.shl (local.get $n) (i32.const 2))))
    (local.set $n4end (i32.add (local.get $x) (i32.and (i32.shl (local.get $n) (i32.const 2)) (i32.const -16))))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $x) (local.get $n4end)))
        (local.set $v (v128.load align=4 (local.get $x)))
        (v128.store align=4 (local.get $x)
          (f32x4.div (local.get $v)
            (f32x4.add (v128.const f32x4 1 1 1 1) (call $exp4 (f32x4.neg (local.get $v))))))
        (local.set $x (i32.add (local.get $x) (i32.const 16)))
        (br $next)))
    (block $tail_done
      (loop $tail_next
        (br_if $tail_done (i32.ge_u (local.get $x) (local.get $end)))
        (local.set $v (f32x4.splat (f32.load (local.get $x))))
        (f32.store (local.get $x)
          (f32x4.extract_lane 0
            (f32x4.div (local.get $v)
              (f32x4.add (v128.const f32x4 1 1 1 1) (call $exp4 (f32x4.neg (local.get $v)))))))
        (local.set $x (i32.add (local.get $x) (i32.const 4)))
        (br $tail_next))))
)
