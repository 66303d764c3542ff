;; WebAssembly SIMD (f32x4) versions of the two matrix ops that take ~95% of a forward pass:
;; `matmul` (W (d, n) @ x) and `matmul_batched` (X (T, n) @ W^T), same names and layouts as
;; ops.ts. Every pointer is a byte offset into the imported memory; matrices are row-major
;; (out_features, in_features) as in llama2.c.
;;
;; Summation order (identical in both functions, so a prompt pass equals decode bit for bit):
;; for one output, lane k of a 4-lane float32 accumulator sums w[j]*x[j] for j = k (mod 4),
;; j < n4 = n - n%4, in increasing j; the lanes are then added as (l0 + l1) + (l2 + l3); the
;; remaining j >= n4 are added one by one. All in float32, like run.c (whose own loop is the
;; single-lane version of this); the result differs from ops.ts's float64 sums by float32
;; rounding only (tested).
;;
;; Regenerate the committed module (matmul-simd.wasm.ts) with `npx tsx scripts/build-cpu-wasm.ts`;
;; a unit test fails when the two disagree.
(module
  (import "env" "memory" (memory 1))

  ;; (l0 + l1) + (l2 + l3)
  (func $hsum (param $v v128) (result f32)
    (f32.add
      (f32.add (f32x4.extract_lane 0 (local.get $v)) (f32x4.extract_lane 1 (local.get $v)))
      (f32.add (f32x4.extract_lane 2 (local.get $v)) (f32x4.extract_lane 3 (local.get $v)))))

  ;; s + w[j]*x[j] for byte offsets j in [from, to), one at a time: the tail of a row.
  (func $tail (param $s f32) (param $w i32) (param $x i32) (param $from i32) (param $to i32)
    (result f32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $from) (local.get $to)))
        (local.set $s
          (f32.add (local.get $s)
            (f32.mul
              (f32.load (i32.add (local.get $w) (local.get $from)))
              (f32.load (i32.add (local.get $x) (local.get $from))))))
        (local.set $from (i32.add (local.get $from) (i32.const 4)))
        (br $next)))
    (local.get $s))

  ;; One output: the dot product of a weight row and x over n floats (nb = 4n bytes).
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
      (local.get $w) (local.get $x) (local.get $n4b) (local.get $nb)))

  ;; out[i] = sum_j w[i*n + j] * x[j] for i < d. Four weight rows at a time share each load of x.
  (func $matmul (export "matmul")
    (param $out i32) (param $x i32) (param $w i32) (param $n i32) (param $d i32)
    (local $nb i32) (local $n4b i32) (local $i i32) (local $j i32) (local $xv v128)
    (local $w0 i32) (local $w1 i32) (local $w2 i32) (local $w3 i32)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128)
    (local.set $nb (i32.shl (local.get $n) (i32.const 2)))
    (local.set $n4b (i32.and (local.get $nb) (i32.const -16)))
    (block $rows_done
      (loop $rows
        (br_if $rows_done (i32.gt_s (i32.add (local.get $i) (i32.const 4)) (local.get $d)))
        (local.set $w0 (i32.add (local.get $w) (i32.mul (local.get $i) (local.get $nb))))
        (local.set $w1 (i32.add (local.get $w0) (local.get $nb)))
        (local.set $w2 (i32.add (local.get $w1) (local.get $nb)))
        (local.set $w3 (i32.add (local.get $w2) (local.get $nb)))
        (local.set $a0 (v128.const i32x4 0 0 0 0))
        (local.set $a1 (v128.const i32x4 0 0 0 0))
        (local.set $a2 (v128.const i32x4 0 0 0 0))
        (local.set $a3 (v128.const i32x4 0 0 0 0))
        (local.set $j (i32.const 0))
        (block $cols_done
          (loop $cols
            (br_if $cols_done (i32.ge_u (local.get $j) (local.get $n4b)))
            (local.set $xv (v128.load align=4 (i32.add (local.get $x) (local.get $j))))
            (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (local.get $xv)
              (v128.load align=4 (i32.add (local.get $w0) (local.get $j))))))
            (local.set $a1 (f32x4.add (local.get $a1) (f32x4.mul (local.get $xv)
              (v128.load align=4 (i32.add (local.get $w1) (local.get $j))))))
            (local.set $a2 (f32x4.add (local.get $a2) (f32x4.mul (local.get $xv)
              (v128.load align=4 (i32.add (local.get $w2) (local.get $j))))))
            (local.set $a3 (f32x4.add (local.get $a3) (f32x4.mul (local.get $xv)
              (v128.load align=4 (i32.add (local.get $w3) (local.get $j))))))
            (local.set $j (i32.add (local.get $j) (i32.const 16)))
            (br $cols)))
        (f32.store offset=0 (i32.add (local.get $out) (i32.shl (local.get $i) (i32.const 2)))
          (call $tail (call $hsum (local.get $a0))
            (local.get $w0) (local.get $x) (local.get $n4b) (local.get $nb)))
        (f32.store offset=4 (i32.add (local.get $out) (i32.shl (local.get $i) (i32.const 2)))
          (call $tail (call $hsum (local.get $a1))
            (local.get $w1) (local.get $x) (local.get $n4b) (local.get $nb)))
        (f32.store offset=8 (i32.add (local.get $out) (i32.shl (local.get $i) (i32.const 2)))
          (call $tail (call $hsum (local.get $a2))
            (local.get $w2) (local.get $x) (local.get $n4b) (local.get $nb)))
        (f32.store offset=12 (i32.add (local.get $out) (i32.shl (local.get $i) (i32.const 2)))
          (call $tail (call $hsum (local.get $a3))
            (local.get $w3) (local.get $x) (local.get $n4b) (local.get $nb)))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $rows)))
    ;; the last d % 4 rows, one at a time
    (block $tail_done
      (loop $tail_rows
        (br_if $tail_done (i32.ge_s (local.get $i) (local.get $d)))
        (f32.store (i32.add (local.get $out) (i32.shl (local.get $i) (i32.const 2)))
          (call $dot (i32.add (local.get $w) (i32.mul (local.get $i) (local.get $nb)))
            (local.get $x) (local.get $nb)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $tail_rows))))

  ;; out (T, d) = X (T, n) @ W^T. Tiles of 4 weight rows x 2 input rows: each loaded weight
  ;; vector serves two inputs, each loaded input vector four rows. An odd last input row goes
  ;; through $matmul. Every output is summed exactly as in $matmul.
  (func (export "matmul_batched")
    (param $out i32) (param $x i32) (param $w i32) (param $T i32) (param $n i32) (param $d i32)
    (local $nb i32) (local $n4b i32) (local $db i32) (local $t i32) (local $i i32) (local $j i32)
    (local $xa i32) (local $xb i32) (local $oa i32) (local $ob i32)
    (local $w0 i32) (local $w1 i32) (local $w2 i32) (local $w3 i32)
    (local $va v128) (local $vb v128) (local $wv v128)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128)
    (local $b0 v128) (local $b1 v128) (local $b2 v128) (local $b3 v128)
    (local.set $nb (i32.shl (local.get $n) (i32.const 2)))
    (local.set $n4b (i32.and (local.get $nb) (i32.const -16)))
    (local.set $db (i32.shl (local.get $d) (i32.const 2)))
    (block $pairs_done
      (loop $pairs
        (br_if $pairs_done (i32.gt_s (i32.add (local.get $t) (i32.const 2)) (local.get $T)))
        (local.set $xa (i32.add (local.get $x) (i32.mul (local.get $t) (local.get $nb))))
        (local.set $xb (i32.add (local.get $xa) (local.get $nb)))
        (local.set $oa (i32.add (local.get $out) (i32.mul (local.get $t) (local.get $db))))
        (local.set $ob (i32.add (local.get $oa) (local.get $db)))
        (local.set $i (i32.const 0))
        (block $rows_done
          (loop $rows
            (br_if $rows_done (i32.gt_s (i32.add (local.get $i) (i32.const 4)) (local.get $d)))
            (local.set $w0 (i32.add (local.get $w) (i32.mul (local.get $i) (local.get $nb))))
            (local.set $w1 (i32.add (local.get $w0) (local.get $nb)))
            (local.set $w2 (i32.add (local.get $w1) (local.get $nb)))
            (local.set $w3 (i32.add (local.get $w2) (local.get $nb)))
            (local.set $a0 (v128.const i32x4 0 0 0 0))
            (local.set $a1 (v128.const i32x4 0 0 0 0))
            (local.set $a2 (v128.const i32x4 0 0 0 0))
            (local.set $a3 (v128.const i32x4 0 0 0 0))
            (local.set $b0 (v128.const i32x4 0 0 0 0))
            (local.set $b1 (v128.const i32x4 0 0 0 0))
            (local.set $b2 (v128.const i32x4 0 0 0 0))
            (local.set $b3 (v128.const i32x4 0 0 0 0))
            (local.set $j (i32.const 0))
            (block $cols_done
              (loop $cols
                (br_if $cols_done (i32.ge_u (local.get $j) (local.get $n4b)))
                (local.set $va (v128.load align=4 (i32.add (local.get $xa) (local.get $j))))
                (local.set $vb (v128.load align=4 (i32.add (local.get $xb) (local.get $j))))
                (local.set $wv (v128.load align=4 (i32.add (local.get $w0) (local.get $j))))
                (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (local.get $va) (local.get $wv))))
                (local.set $b0 (f32x4.add (local.get $b0) (f32x4.mul (local.get $vb) (local.get $wv))))
                (local.set $wv (v128.load align=4 (i32.add (local.get $w1) (local.get $j))))
                (local.set $a1 (f32x4.add (local.get $a1) (f32x4.mul (local.get $va) (local.get $wv))))
                (local.set $b1 (f32x4.add (local.get $b1) (f32x4.mul (local.get $vb) (local.get $wv))))
                (local.set $wv (v128.load align=4 (i32.add (local.get $w2) (local.get $j))))
                (local.set $a2 (f32x4.add (local.get $a2) (f32x4.mul (local.get $va) (local.get $wv))))
                (local.set $b2 (f32x4.add (local.get $b2) (f32x4.mul (local.get $vb) (local.get $wv))))
                (local.set $wv (v128.load align=4 (i32.add (local.get $w3) (local.get $j))))
                (local.set $a3 (f32x4.add (local.get $a3) (f32x4.mul (local.get $va) (local.get $wv))))
                (local.set $b3 (f32x4.add (local.get $b3) (f32x4.mul (local.get $vb) (local.get $wv))))
                (local.set $j (i32.add (local.get $j) (i32.const 16)))
                (br $cols)))
            (f32.store offset=0 (i32.add (local.get $oa) (i32.shl (local.get $i) (i32.const 2)))
              (call $tail (call $hsum (local.get $a0))
                (local.get $w0) (local.get $xa) (local.get $n4b) (local.get $nb)))
            (f32.store offset=4 (i32.add (local.get $oa) (i32.shl (local.get $i) (i32.const 2)))
              (call $tail (call $hsum (local.get $a1))
                (local.get $w1) (local.get $xa) (local.get $n4b) (local.get $nb)))
            (f32.store offset=8 (i32.add (local.get $oa) (i32.shl (local.get $i) (i32.const 2)))
              (call $tail (call $hsum (local.get $a2))
                (local.get $w2) (local.get $xa) (local.get $n4b) (local.get $nb)))
            (f32.store offset=12 (i32.add (local.get $oa) (i32.shl (local.get $i) (i32.const 2)))
              (call $tail (call $hsum (local.get $a3))
                (local.get $w3) (local.get $xa) (local.get $n4b) (local.get $nb)))
            (f32.store offset=0 (i32.add (local.get $ob) (i32.shl (local.get $i) (i32.const 2)))
              (call $tail (call $hsum (local.get $b0))
                (local.get $w0) (local.get $xb) (local.get $n4b) (local.get $nb)))
            (f32.store offset=4 (i32.add (local.get $ob) (i32.shl (local.get $i) (i32.const 2)))
              (call $tail (call $hsum (local.get $b1))
                (local.get $w1) (local.get $xb) (local.get $n4b) (local.get $nb)))
            (f32.store offset=8 (i32.add (local.get $ob) (i32.shl (local.get $i) (i32.const 2)))
              (call $tail (call $hsum (local.get $b2))
                (local.get $w2) (local.get $xb) (local.get $n4b) (local.get $nb)))
            (f32.store offset=12 (i32.add (local.get $ob) (i32.shl (local.get $i) (i32.const 2)))
              (call $tail (call $hsum (local.get $b3))
                (local.get $w3) (local.get $xb) (local.get $n4b) (local.get $nb)))
            (local.set $i (i32.add (local.get $i) (i32.const 4)))
            (br $rows)))
        ;; the last d % 4 rows of this pair
        (block $tail_done
          (loop $tail_rows
            (br_if $tail_done (i32.ge_s (local.get $i) (local.get $d)))
            (local.set $w0 (i32.add (local.get $w) (i32.mul (local.get $i) (local.get $nb))))
            (f32.store (i32.add (local.get $oa) (i32.shl (local.get $i) (i32.const 2)))
              (call $dot (local.get $w0) (local.get $xa) (local.get $nb)))
            (f32.store (i32.add (local.get $ob) (i32.shl (local.get $i) (i32.const 2)))
              (call $dot (local.get $w0) (local.get $xb) (local.get $nb)))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $tail_rows)))
        (local.set $t (i32.add (local.get $t) (i32.const 2)))
        (br $pairs)))
    ;; an odd last input row
    (if (i32.lt_s (local.get $t) (local.get $T))
      (then
        (call $matmul
          (i32.add (local.get $out) (i32.mul (local.get $t) (local.get $db)))
          (i32.add (local.get $x) (i32.mul (local.get $t) (local.get $nb)))
          (local.get $w) (local.get $n) (local.get $d))))))
